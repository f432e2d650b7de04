"""BIP39 English mnemonics and Substrate's mini-secret derivation.

Substrate derives the 32-byte mini-secret from the mnemonic's *entropy*
(PBKDF2-HMAC-SHA512 over the entropy bytes, salt ``"mnemonic" + passphrase``),
not from the phrase text as BIP39 seeds do.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import unicodedata
from pathlib import Path

from keystore.errors import InvalidInputError

VALID_WORD_COUNTS = (12, 15, 18, 21, 24)
DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"


@functools.lru_cache(maxsize=1)
def wordlist() -> tuple[str, ...]:
    # The standard BIP39 English list (sha256 2f5eed53...dbda), as shipped in the
    # `mnemonic` reference package.
    words = (Path(__file__).parent / "wordlists" / "english.txt").read_text().split()
    assert len(words) == 2048
    return tuple(words)


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, int]:
    return {w: i for i, w in enumerate(wordlist())}


def generate_mnemonic(n_words: int = 12) -> str:
    if n_words not in VALID_WORD_COUNTS:
        raise InvalidInputError(
            f"--n-words must be one of {', '.join(map(str, VALID_WORD_COUNTS))}, not {n_words}"
        )
    return entropy_to_mnemonic(secrets.token_bytes(n_words * 4 // 3))


def entropy_to_mnemonic(entropy: bytes) -> str:
    bits = len(entropy) * 8
    check = hashlib.sha256(entropy).digest()
    n = (int.from_bytes(entropy, "big") << (bits // 32)) | (check[0] >> (8 - bits // 32))
    total = bits + bits // 32
    words = wordlist()
    return " ".join(words[(n >> (total - 11 * (i + 1))) & 0x7FF] for i in range(total // 11))


def normalize(phrase: str) -> str:
    return " ".join(unicodedata.normalize("NFKD", phrase).lower().split())


def mnemonic_to_entropy(phrase: str) -> bytes:
    words = normalize(phrase).split(" ")
    if len(words) not in VALID_WORD_COUNTS:
        raise InvalidInputError(
            f"a mnemonic has 12, 15, 18, 21 or 24 words; this one has {len(words)}"
        )
    index = _index()
    n = 0
    for position, word in enumerate(words, 1):
        if word not in index:
            raise InvalidInputError(f"word {position} of the mnemonic is not a BIP39 word")
        n = (n << 11) | index[word]
    total = len(words) * 11
    check_bits = total // 33
    entropy = (n >> check_bits).to_bytes((total - check_bits) // 8, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - check_bits)
    if n & ((1 << check_bits) - 1) != expected:
        raise InvalidInputError("the mnemonic's checksum does not match (a word is wrong or missing)")
    return entropy


def mini_secret(phrase: str, passphrase: str = "") -> bytes:
    entropy = mnemonic_to_entropy(phrase)
    salt = b"mnemonic" + unicodedata.normalize("NFKD", passphrase).encode()
    return hashlib.pbkdf2_hmac("sha512", entropy, salt, 2048)[:32]


def is_valid_mnemonic(phrase: str) -> bool:
    try:
        mnemonic_to_entropy(phrase)
    except InvalidInputError:
        return False
    return True
