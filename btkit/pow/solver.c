/* btkit PoW kernel: keccak256(sha256(prefix123 || nonce_le64)) <= limit, over a nonce range.
 * The first SHA-256 block is constant (midstate computed once); the nonce sits in blocks 2-3. */
#include <stdint.h>
#include <string.h>

typedef uint32_t v4u32 __attribute__((vector_size(16)));
typedef uint64_t v4u64 __attribute__((vector_size(32)));

static const uint32_t K[64] = {
    0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
    0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
    0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
    0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
    0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
    0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
    0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
    0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static inline void expand(uint32_t w[64]) {
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i-15], 7) ^ ROR(w[i-15], 18) ^ (w[i-15] >> 3);
        uint32_t s1 = ROR(w[i-2], 17) ^ ROR(w[i-2], 19) ^ (w[i-2] >> 10);
        w[i] = w[i-16] + s0 + w[i-7] + s1;
    }
}

/* SHA-256 rounds from..63 on the working variables v (a..h). */
static inline void rounds(uint32_t v[8], const uint32_t w[64], int from) {
    uint32_t a=v[0],b=v[1],c=v[2],d=v[3],e=v[4],f=v[5],g=v[6],h=v[7];
    for (int i = from; i < 64; i++) {
        uint32_t t1 = h + (ROR(e,6) ^ ROR(e,11) ^ ROR(e,25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a,2) ^ ROR(a,13) ^ ROR(a,22)) + ((a & b) ^ (a & c) ^ (b & c));
        h=g; g=f; f=e; e=d+t1; d=c; c=b; b=a; a=t1+t2;
    }
    v[0]=a; v[1]=b; v[2]=c; v[3]=d; v[4]=e; v[5]=f; v[6]=g; v[7]=h;
}

static void rounds_to(uint32_t v[8], const uint32_t w[64], int upto) {
    uint32_t a=v[0],b=v[1],c=v[2],d=v[3],e=v[4],f=v[5],g=v[6],h=v[7];
    for (int i = 0; i < upto; i++) {
        uint32_t t1 = h + (ROR(e,6) ^ ROR(e,11) ^ ROR(e,25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a,2) ^ ROR(a,13) ^ ROR(a,22)) + ((a & b) ^ (a & c) ^ (b & c));
        h=g; g=f; f=e; e=d+t1; d=c; c=b; b=a; a=t1+t2;
    }
    v[0]=a; v[1]=b; v[2]=c; v[3]=d; v[4]=e; v[5]=f; v[6]=g; v[7]=h;
}

static void compress(uint32_t s[8], const uint32_t in[16]) {
    uint32_t w[64];
    memcpy(w, in, 64);
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i-15], 7) ^ ROR(w[i-15], 18) ^ (w[i-15] >> 3);
        uint32_t s1 = ROR(w[i-2], 17) ^ ROR(w[i-2], 19) ^ (w[i-2] >> 10);
        w[i] = w[i-16] + s0 + w[i-7] + s1;
    }
    uint32_t a=s[0],b=s[1],c=s[2],d=s[3],e=s[4],f=s[5],g=s[6],h=s[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e,6) ^ ROR(e,11) ^ ROR(e,25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a,2) ^ ROR(a,13) ^ ROR(a,22)) + ((a & b) ^ (a & c) ^ (b & c));
        h=g; g=f; f=e; e=d+t1; d=c; c=b; b=a; a=t1+t2;
    }
    s[0]+=a; s[1]+=b; s[2]+=c; s[3]+=d; s[4]+=e; s[5]+=f; s[6]+=g; s[7]+=h;
}

static const uint64_t RC[24] = {
    0x0000000000000001ULL,0x0000000000008082ULL,0x800000000000808AULL,0x8000000080008000ULL,
    0x000000000000808BULL,0x0000000080000001ULL,0x8000000080008081ULL,0x8000000000008009ULL,
    0x000000000000008AULL,0x0000000000000088ULL,0x0000000080008009ULL,0x000000008000000AULL,
    0x000000008000808BULL,0x800000000000008BULL,0x8000000000008089ULL,0x8000000000008003ULL,
    0x8000000000008002ULL,0x8000000000000080ULL,0x000000000000800AULL,0x800000008000000AULL,
    0x8000000080008081ULL,0x8000000000008080ULL,0x0000000080000001ULL,0x8000000080008008ULL};
#define ROL(x, n) (((x) << (n)) | ((x) >> (64 - (n))))
/* keccak-f[1600] on 4 states at once (GCC vector extensions: AVX2 with -march=native),
 * unrolled: lanes in locals a<i> (index x + 5y). */
static void keccakf4(v4u64 st[25]) {
    v4u64 a0 = st[0], a1 = st[1], a2 = st[2], a3 = st[3], a4 = st[4], a5 = st[5], a6 = st[6], a7 = st[7], a8 = st[8], a9 = st[9], a10 = st[10], a11 = st[11], a12 = st[12], a13 = st[13], a14 = st[14], a15 = st[15], a16 = st[16], a17 = st[17], a18 = st[18], a19 = st[19], a20 = st[20], a21 = st[21], a22 = st[22], a23 = st[23], a24 = st[24];
    v4u64 c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
    v4u64 b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24;
    for (int r = 0; r < 24; r++) {
        c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
        c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
        c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
        c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
        c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
        d0 = c4 ^ ROL(c1, 1);
        d1 = c0 ^ ROL(c2, 1);
        d2 = c1 ^ ROL(c3, 1);
        d3 = c2 ^ ROL(c4, 1);
        d4 = c3 ^ ROL(c0, 1);
        a0 ^= d0;
        a1 ^= d1;
        a2 ^= d2;
        a3 ^= d3;
        a4 ^= d4;
        a5 ^= d0;
        a6 ^= d1;
        a7 ^= d2;
        a8 ^= d3;
        a9 ^= d4;
        a10 ^= d0;
        a11 ^= d1;
        a12 ^= d2;
        a13 ^= d3;
        a14 ^= d4;
        a15 ^= d0;
        a16 ^= d1;
        a17 ^= d2;
        a18 ^= d3;
        a19 ^= d4;
        a20 ^= d0;
        a21 ^= d1;
        a22 ^= d2;
        a23 ^= d3;
        a24 ^= d4;
        b0 = a0;
        b16 = ROL(a5, 36);
        b7 = ROL(a10, 3);
        b23 = ROL(a15, 41);
        b14 = ROL(a20, 18);
        b10 = ROL(a1, 1);
        b1 = ROL(a6, 44);
        b17 = ROL(a11, 10);
        b8 = ROL(a16, 45);
        b24 = ROL(a21, 2);
        b20 = ROL(a2, 62);
        b11 = ROL(a7, 6);
        b2 = ROL(a12, 43);
        b18 = ROL(a17, 15);
        b9 = ROL(a22, 61);
        b5 = ROL(a3, 28);
        b21 = ROL(a8, 55);
        b12 = ROL(a13, 25);
        b3 = ROL(a18, 21);
        b19 = ROL(a23, 56);
        b15 = ROL(a4, 27);
        b6 = ROL(a9, 20);
        b22 = ROL(a14, 39);
        b13 = ROL(a19, 8);
        b4 = ROL(a24, 14);
        a0 = b0 ^ ((~b1) & b2);
        a1 = b1 ^ ((~b2) & b3);
        a2 = b2 ^ ((~b3) & b4);
        a3 = b3 ^ ((~b4) & b0);
        a4 = b4 ^ ((~b0) & b1);
        a5 = b5 ^ ((~b6) & b7);
        a6 = b6 ^ ((~b7) & b8);
        a7 = b7 ^ ((~b8) & b9);
        a8 = b8 ^ ((~b9) & b5);
        a9 = b9 ^ ((~b5) & b6);
        a10 = b10 ^ ((~b11) & b12);
        a11 = b11 ^ ((~b12) & b13);
        a12 = b12 ^ ((~b13) & b14);
        a13 = b13 ^ ((~b14) & b10);
        a14 = b14 ^ ((~b10) & b11);
        a15 = b15 ^ ((~b16) & b17);
        a16 = b16 ^ ((~b17) & b18);
        a17 = b17 ^ ((~b18) & b19);
        a18 = b18 ^ ((~b19) & b15);
        a19 = b19 ^ ((~b15) & b16);
        a20 = b20 ^ ((~b21) & b22);
        a21 = b21 ^ ((~b22) & b23);
        a22 = b22 ^ ((~b23) & b24);
        a23 = b23 ^ ((~b24) & b20);
        a24 = b24 ^ ((~b20) & b21);
        a0 ^= RC[r];
    }
    st[0] = a0;
    st[1] = a1;
    st[2] = a2;
    st[3] = a3;
    st[4] = a4;
    st[5] = a5;
    st[6] = a6;
    st[7] = a7;
    st[8] = a8;
    st[9] = a9;
    st[10] = a10;
    st[11] = a11;
    st[12] = a12;
    st[13] = a13;
    st[14] = a14;
    st[15] = a15;
    st[16] = a16;
    st[17] = a17;
    st[18] = a18;
    st[19] = a19;
    st[20] = a20;
    st[21] = a21;
    st[22] = a22;
    st[23] = a23;
    st[24] = a24;
}


/* One state: lane 0 of the 4-way permutation (only the rare scalar paths use it). */
static void keccakf(uint64_t st[25]) {
    v4u64 v[25];
    for (int i = 0; i < 25; i++) v[i] = (v4u64){st[i], 0, 0, 0};
    keccakf4(v);
    for (int i = 0; i < 25; i++) st[i] = v[i][0];
}

static inline uint32_t be32(const uint8_t *p) { return ((uint32_t)p[0]<<24)|((uint32_t)p[1]<<16)|((uint32_t)p[2]<<8)|p[3]; }
static inline uint32_t bswap32(uint32_t x) { return __builtin_bswap32(x); }


static inline void vexpand(v4u32 w[64]) {
    for (int i = 16; i < 64; i++) {
        v4u32 s0 = ROR(w[i-15], 7) ^ ROR(w[i-15], 18) ^ (w[i-15] >> 3);
        v4u32 s1 = ROR(w[i-2], 17) ^ ROR(w[i-2], 19) ^ (w[i-2] >> 10);
        w[i] = w[i-16] + s0 + w[i-7] + s1;
    }
}

static inline void vrounds(v4u32 v[8], const v4u32 w[64], int from) {
    v4u32 a=v[0],b=v[1],c=v[2],d=v[3],e=v[4],f=v[5],g=v[6],h=v[7];
    for (int i = from; i < 64; i++) {
        v4u32 t1 = h + (ROR(e,6) ^ ROR(e,11) ^ ROR(e,25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        v4u32 t2 = (ROR(a,2) ^ ROR(a,13) ^ ROR(a,22)) + ((a & b) ^ (a & c) ^ (b & c));
        h=g; g=f; f=e; e=d+t1; d=c; c=b; b=a; a=t1+t2;
    }
    v[0]=a; v[1]=b; v[2]=c; v[3]=d; v[4]=e; v[5]=f; v[6]=g; v[7]=h;
}

static inline v4u32 vbswap(v4u32 x) {
    return ((x & 0xffu) << 24) | ((x & 0xff00u) << 8) | ((x >> 8) & 0xff00u) | (x >> 24);
}

/* Keccak-256 of four 32-byte SHA-256 digests (st: the SHA-256 state words, one digest per lane):
   the state is absorbed as one padded block and permuted; lanes s[0..3] hold the hashes. */
static inline void vkeccak_digest(const v4u32 st[8], v4u64 s[25]) {
    v4u64 zero = {0, 0, 0, 0};
    for (int i = 0; i < 25; i++) s[i] = zero;
    for (int i = 0; i < 4; i++)
        s[i] = __builtin_convertvector(vbswap(st[2*i]), v4u64) | (__builtin_convertvector(vbswap(st[2*i+1]), v4u64) << 32);
    s[4] = (v4u64){1, 1, 1, 1};
    s[16] = (v4u64){0x8000000000000000ULL, 0x8000000000000000ULL, 0x8000000000000000ULL, 0x8000000000000000ULL};
    keccakf4(s);
}

static inline int le_limit(const uint64_t s3, const uint64_t s2, const uint64_t s1, const uint64_t s0,
                           const uint64_t *limit) {
    uint64_t v[4] = {s0, s1, s2, s3};
    for (int i = 3; i >= 0; i--) {
        if (v[i] < limit[i]) return 1;
        if (v[i] > limit[i]) return 0;
    }
    return 1;
}

/* limit: 4 little-endian u64 words (limit[3] most significant). Returns 1 and *found on success. */
int btkit_pow_solve(const uint8_t *prefix, const uint64_t *limit, uint64_t start, uint64_t count, uint64_t *found) {
    static const uint32_t IV[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
    uint32_t mid[8], w1[16], w2[64], w3[64], pre[8];
    memcpy(mid, IV, 32);
    for (int i = 0; i < 16; i++) w1[i] = be32(prefix + 4*i);
    compress(mid, w1);
    /* block 2: words 0..13 are prefix bytes 64..119, so rounds 0..13 are the same for every nonce */
    for (int i = 0; i < 14; i++) w2[i] = be32(prefix + 64 + 4*i);
    memcpy(pre, mid, 32);
    rounds_to(pre, w2, 14);
    uint32_t w14_hi = ((uint32_t)prefix[120]<<24)|((uint32_t)prefix[121]<<16)|((uint32_t)prefix[122]<<8);
    uint64_t hi_bytes = ~(uint64_t)0;  /* nonce bytes 5..7 (block 3): its schedule is rebuilt when they change */
    uint64_t k = 0;
    v4u32 vw2[64], vw3[64], vpre[8], vmid[8];
    for (int i = 0; i < 14; i++) vw2[i] = (v4u32){w2[i], w2[i], w2[i], w2[i]};
    for (int i = 0; i < 8; i++) { vpre[i] = (v4u32){pre[i], pre[i], pre[i], pre[i]}; vmid[i] = (v4u32){mid[i], mid[i], mid[i], mid[i]}; }
    while (k + 4 <= count) {  /* 4 nonces per step, in vector lanes */
        uint64_t n = start + k;
        if ((n >> 40) != ((n + 3) >> 40)) break;  /* the rare group that straddles block-3 bytes: scalar */
        if ((n >> 40) != hi_bytes) {
            hi_bytes = n >> 40;
            memset(w3, 0, sizeof w3);
            w3[0] = ((uint32_t)((n>>40)&0xff)<<24)|((uint32_t)((n>>48)&0xff)<<16)|((uint32_t)((n>>56)&0xff)<<8)|0x80u;
            w3[15] = 131 * 8;
            expand(w3);
            for (int i = 0; i < 64; i++) vw3[i] = (v4u32){w3[i], w3[i], w3[i], w3[i]};
        }
        uint32_t a14[4], a15[4];
        for (int j = 0; j < 4; j++) {
            uint64_t m = n + j;
            a14[j] = w14_hi | (uint32_t)(m & 0xff);
            a15[j] = ((uint32_t)((m>>8)&0xff)<<24)|((uint32_t)((m>>16)&0xff)<<16)|((uint32_t)((m>>24)&0xff)<<8)|(uint32_t)((m>>32)&0xff);
        }
        vw2[14] = (v4u32){a14[0], a14[1], a14[2], a14[3]};
        vw2[15] = (v4u32){a15[0], a15[1], a15[2], a15[3]};
        vexpand(vw2);
        v4u32 v[8], st[8];
        memcpy(v, vpre, sizeof v);
        vrounds(v, vw2, 14);
        for (int i = 0; i < 8; i++) st[i] = vmid[i] + v[i];
        memcpy(v, st, sizeof v);
        vrounds(v, vw3, 0);
        for (int i = 0; i < 8; i++) st[i] += v[i];
        v4u64 s[25];
        vkeccak_digest(st, s);
        for (int j = 0; j < 4; j++) {
            if (s[3][j] <= limit[3] && le_limit(s[3][j], s[2][j], s[1][j], s[0][j], limit)) { *found = n + j; return 1; }
        }
        k += 4;
    }
    for (; k < count; k++) {
        uint64_t n = start + k;
        if ((n >> 40) != hi_bytes) {
            hi_bytes = n >> 40;
            memset(w3, 0, sizeof w3);
            w3[0] = ((uint32_t)((n>>40)&0xff)<<24)|((uint32_t)((n>>48)&0xff)<<16)|((uint32_t)((n>>56)&0xff)<<8)|0x80u;
            w3[15] = 131 * 8;
            expand(w3);
        }
        w2[14] = w14_hi | (uint32_t)(n & 0xff);
        w2[15] = ((uint32_t)((n>>8)&0xff)<<24)|((uint32_t)((n>>16)&0xff)<<16)|((uint32_t)((n>>24)&0xff)<<8)|(uint32_t)((n>>32)&0xff);
        expand(w2);
        uint32_t v[8], st[8];
        memcpy(v, pre, 32);
        rounds(v, w2, 14);
        for (int i = 0; i < 8; i++) st[i] = mid[i] + v[i];
        memcpy(v, st, 32);
        rounds(v, w3, 0);
        for (int i = 0; i < 8; i++) st[i] += v[i];
        uint64_t s[25] = {0};
        for (int i = 0; i < 4; i++) s[i] = (uint64_t)bswap32(st[2*i]) | ((uint64_t)bswap32(st[2*i+1]) << 32);
        s[4] = 0x01; s[16] = 0x8000000000000000ULL;
        keccakf(s);
        int ok = 0;
        for (int i = 3; i >= 0; i--) {
            if (s[i] < limit[i]) { ok = 1; break; }
            if (s[i] > limit[i]) { ok = 0; break; }
            if (i == 0) ok = 1;
        }
        if (ok) { *found = n; return 1; }
    }
    return 0;
}

/* The seal of one nonce, for tests: 32 bytes. */
void btkit_pow_seal(const uint8_t *prefix, uint64_t nonce, uint8_t *out) {
    uint64_t limit[4] = {0, 0, 0, 0};
    (void)limit;
    static const uint32_t IV[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
    uint32_t st[8], w[16];
    uint8_t msg[192];
    memset(msg, 0, sizeof msg);
    memcpy(msg, prefix, 123);
    for (int i = 0; i < 8; i++) msg[123+i] = (uint8_t)(nonce >> (8*i));
    msg[131] = 0x80;
    msg[190] = (uint8_t)((131*8) >> 8); msg[191] = (uint8_t)((131*8) & 0xff);
    memcpy(st, IV, 32);
    for (int b = 0; b < 3; b++) { for (int i = 0; i < 16; i++) w[i] = be32(msg + 64*b + 4*i); compress(st, w); }
    uint64_t s[25] = {0};
    for (int i = 0; i < 4; i++) s[i] = (uint64_t)bswap32(st[2*i]) | ((uint64_t)bswap32(st[2*i+1]) << 32);
    s[4] = 0x01; s[16] = 0x8000000000000000ULL;
    keccakf(s);
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(s[i/8] >> (8*(i%8)));
}

/* subtensor's seal (pallets/subtensor/src/subnets/registration.rs, create_seal_hash):
 * keccak256(sha256(nonce_le64 || challenge32)) with challenge32 = keccak256(block_hash || hotkey),
 * valid when the seal read big-endian times the difficulty does not overflow 256 bits, i.e. when
 * it is <= limit (limit: 4 little-endian u64 words, limit[3] most significant). One SHA-256 block. */
static inline int be_le_limit(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, const uint64_t *limit) {
    uint64_t v[4] = {__builtin_bswap64(w3), __builtin_bswap64(w2), __builtin_bswap64(w1), __builtin_bswap64(w0)};
    for (int i = 3; i >= 0; i--) {
        if (v[i] < limit[i]) return 1;
        if (v[i] > limit[i]) return 0;
    }
    return 1;
}

static void subtensor_block(const uint8_t *challenge, uint32_t w[16]) {
    memset(w, 0, 16 * sizeof(uint32_t));
    for (int i = 0; i < 8; i++) w[2 + i] = be32(challenge + 4 * i);
    w[10] = 0x80000000u;
    w[15] = 40 * 8;
}

int btkit_pow_solve_subtensor(const uint8_t *challenge, const uint64_t *limit, uint64_t start, uint64_t count,
                              uint64_t *found) {
    static const uint32_t IV[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
    uint32_t w[16];
    subtensor_block(challenge, w);
    v4u32 vw[64], viv[8];
    for (int i = 2; i < 16; i++) vw[i] = (v4u32){w[i], w[i], w[i], w[i]};
    for (int i = 0; i < 8; i++) viv[i] = (v4u32){IV[i], IV[i], IV[i], IV[i]};
    uint64_t k = 0;
    for (; k + 4 <= count; k += 4) {  /* 4 nonces per step, in vector lanes */
        uint64_t n = start + k;
        uint32_t a0[4], a1[4];
        for (int j = 0; j < 4; j++) {
            uint64_t m = n + j;  /* nonce bytes are message bytes 0..7 (little-endian) */
            a0[j] = __builtin_bswap32((uint32_t)m);
            a1[j] = __builtin_bswap32((uint32_t)(m >> 32));
        }
        vw[0] = (v4u32){a0[0], a0[1], a0[2], a0[3]};
        vw[1] = (v4u32){a1[0], a1[1], a1[2], a1[3]};
        vexpand(vw);
        v4u32 v[8], st[8];
        memcpy(v, viv, sizeof v);
        vrounds(v, vw, 0);
        for (int i = 0; i < 8; i++) st[i] = viv[i] + v[i];
        v4u64 s[25];
        vkeccak_digest(st, s);
        for (int j = 0; j < 4; j++) {
            if (be_le_limit(s[0][j], s[1][j], s[2][j], s[3][j], limit)) { *found = n + j; return 1; }
        }
    }
    for (; k < count; k++) {
        uint64_t n = start + k;
        uint32_t st[8], ws[16];
        memcpy(ws, w, sizeof ws);
        ws[0] = __builtin_bswap32((uint32_t)n);
        ws[1] = __builtin_bswap32((uint32_t)(n >> 32));
        memcpy(st, IV, 32);
        compress(st, ws);
        uint64_t s[25] = {0};
        for (int i = 0; i < 4; i++) s[i] = (uint64_t)bswap32(st[2*i]) | ((uint64_t)bswap32(st[2*i+1]) << 32);
        s[4] = 0x01; s[16] = 0x8000000000000000ULL;
        keccakf(s);
        if (be_le_limit(s[0], s[1], s[2], s[3], limit)) { *found = n; return 1; }
    }
    return 0;
}

/* subtensor's seal of one nonce, for tests: 32 bytes. */
void btkit_pow_seal_subtensor(const uint8_t *challenge, uint64_t nonce, uint8_t *out) {
    static const uint32_t IV[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
    uint32_t st[8], w[16];
    subtensor_block(challenge, w);
    w[0] = __builtin_bswap32((uint32_t)nonce);
    w[1] = __builtin_bswap32((uint32_t)(nonce >> 32));
    memcpy(st, IV, 32);
    compress(st, w);
    uint64_t s[25] = {0};
    for (int i = 0; i < 4; i++) s[i] = (uint64_t)bswap32(st[2*i]) | ((uint64_t)bswap32(st[2*i+1]) << 32);
    s[4] = 0x01; s[16] = 0x8000000000000000ULL;
    keccakf(s);
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(s[i/8] >> (8*(i%8)));
}
