"""Vectorized PoW solver in torch (CPU or CUDA): SHA-256 on int64 lanes masked to 32 bits,
Keccak-f on int64 lanes (logical shifts emulated), a batch of nonces per step.

Same interface and results as the native solver: ``solve(prefix, difficulty, start, count)``
returns the first nonce in the range that meets the difficulty.
"""

from __future__ import annotations

import struct

from btkit.pow import limit_for

M32 = 0xFFFFFFFF
K = (0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
     0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
     0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
     0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
     0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
     0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
     0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
     0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2)
IV = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)


def _ror(x, n):
    return ((x >> n) | (x << (32 - n))) & M32


def _rounds(v, w, start=0):
    a, b, c, d, e, f, g, h = v
    for i in range(start, 64):
        t1 = (h + (_ror(e, 6) ^ _ror(e, 11) ^ _ror(e, 25)) + ((e & f) ^ (~e & g & M32)) + K[i] + w[i]) & M32
        t2 = ((_ror(a, 2) ^ _ror(a, 13) ^ _ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) & M32
        h, g, f, e, d, c, b, a = g, f, e, (d + t1) & M32, c, b, a, (t1 + t2) & M32
    return [a, b, c, d, e, f, g, h]


def _expand(w):
    w = list(w)
    for i in range(16, 64):
        s0 = _ror(w[i - 15], 7) ^ _ror(w[i - 15], 18) ^ (w[i - 15] >> 3)
        s1 = _ror(w[i - 2], 17) ^ _ror(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w.append((w[i - 16] + s0 + w[i - 7] + s1) & M32)
    return w


RC = (0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
      0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
      0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
      0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
      0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008)
ROT = (0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14)


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


class TorchSolver:
    def __init__(self, device: str = "cpu", batch: int | None = None) -> None:
        import torch

        self.torch = torch
        self.device = torch.device(device)
        if self.device.type == "cuda" and not torch.cuda.is_available():
            from btkit.errors import UsageError

            raise UsageError(f"--device {device}: torch sees no CUDA device", hint="use --device cpu")
        self.batch = batch or (1 << 22 if self.device.type == "cuda" else 1 << 16)
        self.name = f"torch-{self.device}"
        self.hashes = 0
        self._masks = {n: torch.tensor(_signed((1 << n) - 1), dtype=torch.int64, device=self.device)
                       for n in range(1, 64)}

    def _rotl64(self, x, n):
        if n == 0:
            return x
        return (x << n) | ((x >> (64 - n)) & self._masks[n])

    def _keccak(self, lanes):
        a = lanes
        for rc in RC:
            c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
            d = [c[(x - 1) % 5] ^ self._rotl64(c[(x + 1) % 5], 1) for x in range(5)]
            a = [a[i] ^ d[i % 5] for i in range(25)]
            b = [None] * 25
            for x in range(5):
                for y in range(5):
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = self._rotl64(a[x + 5 * y], ROT[x + 5 * y])
            a = [b[i] ^ (~b[(i // 5) * 5 + (i % 5 + 1) % 5] & b[(i // 5) * 5 + (i % 5 + 2) % 5]) for i in range(25)]
            a[0] = a[0] ^ _signed(rc)
        return a

    def solve(self, prefix: bytes, difficulty: int, start: int, count: int) -> int | None:
        from btkit.pow import PREFIX_LEN

        if len(prefix) != PREFIX_LEN:
            from btkit.errors import UsageError

            raise UsageError("the torch solver knows btkit's v1 seal only, not subtensor's",
                             hint="use --device native on a subtensor node")
        torch = self.torch
        mid = _rounds(list(IV), _expand(struct.unpack(">16I", prefix[:64])))
        mid = [(m + i) & M32 for m, i in zip(mid, IV)]
        w2_const = list(struct.unpack(">14I", prefix[64:120]))
        w14_hi = (prefix[120] << 24) | (prefix[121] << 16) | (prefix[122] << 8)
        limit = limit_for(difficulty)
        limit_words = [(limit >> (64 * i)) & ((1 << 64) - 1) for i in range(4)]  # unsigned, least significant first
        done = 0
        while done < count:
            n = min(self.batch, count - done)
            first = start + done
            nonces = torch.arange(first, first + n, dtype=torch.int64, device=self.device) if first + n < 1 << 63 \
                else None
            if nonces is None:  # beyond int64: fall back to the scalar path for this tail
                from btkit.pow import seal, seal_meets

                for k in range(first, first + n):
                    if seal_meets(seal(prefix, k), difficulty):
                        return k
                done += n
                continue
            found = self._batch(nonces, mid, w2_const, w14_hi, limit_words)
            self.hashes += n
            if found is not None:
                return found
            done += n
        return None

    def _batch(self, nonces, mid, w2_const, w14_hi, limit_words):
        torch = self.torch
        byte = [(nonces >> (8 * i)) & 0xFF for i in range(8)]
        w2 = [torch.full_like(nonces, v) for v in w2_const]
        w2.append(byte[0] | w14_hi)
        w2.append((byte[1] << 24) | (byte[2] << 16) | (byte[3] << 8) | byte[4])
        w2 = _expand(w2)
        v = _rounds([torch.full_like(nonces, m) for m in mid], w2)
        st = [(x + m) & M32 for x, m in zip(v, mid)]
        w3 = [(byte[5] << 24) | (byte[6] << 16) | (byte[7] << 8) | 0x80] + [torch.zeros_like(nonces)] * 14
        w3.append(torch.full_like(nonces, 131 * 8))
        w3 = _expand(w3)
        v = _rounds(st, w3)
        st = [(x + s) & M32 for x, s in zip(v, st)]

        def bswap(x):
            return ((x & 0xFF) << 24) | (((x >> 8) & 0xFF) << 16) | (((x >> 16) & 0xFF) << 8) | ((x >> 24) & 0xFF)

        lanes = [bswap(st[2 * i]) | (bswap(st[2 * i + 1]) << 32) for i in range(4)]
        zero = torch.zeros_like(nonces)
        state = lanes + [zero + 1] + [zero] * 11 + [zero + _signed(0x8000000000000000)] + [zero] * 8
        out = self._keccak(state)
        ok = self._le(out, limit_words)
        hits = torch.nonzero(ok)
        if hits.numel() == 0:
            return None
        return int(nonces[hits[0, 0]].item())

    def _le(self, out, limit_words):
        """Unsigned compare of the 256-bit seal (lanes 3..0, most significant first) with the limit."""
        torch = self.torch
        flip = torch.tensor(_signed(1 << 63), dtype=torch.int64, device=self.device)
        lt = torch.zeros_like(out[0], dtype=torch.bool)
        eq = torch.ones_like(out[0], dtype=torch.bool)
        for i in (3, 2, 1, 0):
            lane = out[i] ^ flip  # flipping the top bit makes signed order the unsigned order
            lim = _signed(limit_words[i] ^ (1 << 63))
            lt = lt | (eq & (lane < lim))
            eq = eq & (lane == lim)
        return lt | eq

    def close(self) -> None:
        pass
