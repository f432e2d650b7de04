"""Wallets on disk: ``<root>/<name>/{coldkey,coldkeypub.txt,hotkeys/<hotkey>[pub.txt]}``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from keystore.errors import InvalidInputError, KeyfileError, KeyNotFoundError, KeyPairMismatchError
from keystore.fs import TMP_MARK, ensure_dir
from keystore.keyfile import Keyfile, PasswordGetter
from keystore.keys import Keypair


def check_name(name: str, what: str = "wallet name") -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith(TMP_MARK):
        raise InvalidInputError(f"invalid {what} {name!r}")
    return name


@dataclass(frozen=True)
class Wallet:
    root: Path
    name: str

    def __post_init__(self) -> None:
        check_name(self.name)
        object.__setattr__(self, "root", Path(self.root).expanduser())

    @property
    def path(self) -> Path:
        return self.root / self.name

    @property
    def exists(self) -> bool:
        return self.path.is_dir()

    @property
    def coldkey_file(self) -> Keyfile:
        return Keyfile(self.path / "coldkey")

    @property
    def coldkeypub_file(self) -> Keyfile:
        return Keyfile(self.path / "coldkeypub.txt")

    def hotkey_file(self, hotkey: str) -> Keyfile:
        return Keyfile(self.path / "hotkeys" / check_name(hotkey, "hotkey name"))

    def hotkeypub_file(self, hotkey: str) -> Keyfile:
        return Keyfile(self.path / "hotkeys" / f"{check_name(hotkey, 'hotkey name')}pub.txt")

    # -- public keys (never need a password) ----------------------------------
    @property
    def has_coldkey(self) -> bool:
        """True when the wallet holds a coldkey or its public half (``create`` must then keep it)."""
        return self.coldkey_file.exists or self.coldkeypub_file.exists

    def coldkeypub(self) -> Keypair:
        """The coldkey's public half: ``coldkeypub.txt``, else a plaintext ``coldkey``.

        Raises ``KeyNotFoundError``: no coldkey at all, or an encrypted coldkey whose
        ``coldkeypub.txt`` is missing (with how to restore it, never a hint to create a new one).
        """
        if self.coldkeypub_file.exists:
            return self.coldkeypub_file.load_public()
        if self.coldkey_file.exists and not self.coldkey_file.is_encrypted:
            kp = self.coldkey_file.load()
            return Keypair(kp.public_key, kp.crypto_type)
        if self.coldkey_file.exists:
            raise KeyNotFoundError(
                f"wallet {self.name!r} has an encrypted coldkey but its public half "
                f"{self.coldkeypub_file.path} is missing",
                hint=f"restore it: `btkit wallet regen-coldkeypub --wallet-name {self.name}` (derives it from the "
                     f"coldkey after asking its password) or `... regen-coldkeypub --wallet-name {self.name} "
                     f"--ss58 ADDRESS`",
            )
        raise KeyNotFoundError(
            f"wallet {self.name!r} has no coldkey at {self.path}",
            hint=f"create one with `btkit wallet create --wallet-name {self.name}`",
        )

    def hotkeypub(self, hotkey: str) -> Keypair:
        pub = self.hotkeypub_file(hotkey)
        if pub.exists:
            return pub.load_public()
        main = self.hotkey_file(hotkey)
        if main.exists and not main.is_encrypted:
            kp = main.load()
            return Keypair(kp.public_key, kp.crypto_type)
        legacy = Keyfile(self.path / "hotkeypub.txt")  # bittensor-wallet 3.1 era
        if hotkey == "default" and legacy.exists:
            return legacy.load_public()
        raise KeyNotFoundError(
            f"wallet {self.name!r} has no hotkey {hotkey!r}",
            hint=f"create one with `btkit wallet new-hotkey --wallet-name {self.name} --hotkey {hotkey}`",
        )

    # -- secret keys (checked against their public halves) ----------------------
    def unlock_coldkey(self, password: PasswordGetter | None = None) -> Keypair:
        """Decrypt the coldkey and check it against ``coldkeypub.txt``.

        Raises ``KeyNotFoundError`` (no coldkey), ``WrongPasswordError``, and ``KeyPairMismatchError``
        when ``coldkeypub.txt`` names another account: every balance, stake and transfer shown
        for the wallet would then be another account's.
        """
        if not self.coldkey_file.exists:
            raise KeyNotFoundError(
                f"wallet {self.name!r} has no coldkey at {self.coldkey_file.path}"
                + (" (only its public half: a watch-only wallet)" if self.coldkeypub_file.exists else ""),
                hint="see `btkit wallet list`",
            )
        return self.check_coldkey(self.coldkey_file.load(password))

    def check_coldkey(self, kp: Keypair) -> Keypair:
        """``kp`` (the decrypted coldkey) if ``coldkeypub.txt`` is absent or names it; else ``KeyPairMismatchError``."""
        if self.coldkeypub_file.exists:
            _check_pair(kp, self.coldkeypub_file, f"regen-coldkeypub --wallet-name {self.name} --overwrite")
        return kp

    def unlock_hotkey(self, hotkey: str, password: PasswordGetter | None = None) -> Keypair:
        """Load (decrypt) a hotkey and check it against its ``<hotkey>pub.txt``; see ``unlock_coldkey``."""
        kp = self.hotkey_file(hotkey).load(password)
        pub = self.hotkeypub_file(hotkey)
        if pub.exists:
            _check_pair(kp, pub, f"regen-hotkey --wallet-name {self.name} --hotkey {hotkey} --overwrite (with the "
                                 f"hotkey's mnemonic)")
        return kp

    def hotkey_names(self) -> list[str]:
        directory = self.path / "hotkeys"
        if not directory.is_dir():
            return []
        names = set()
        for entry in directory.iterdir():
            if entry.name.startswith(TMP_MARK) or not entry.is_file():
                continue
            if entry.name.endswith("pub.txt") and (directory / entry.name[: -len("pub.txt")]).is_file():
                continue
            names.add(entry.name[: -len("pub.txt")] if entry.name.endswith("pub.txt") else entry.name)
        return sorted(names)

    # -- writing ----------------------------------------------------------------
    def _prepare(self) -> None:
        ensure_dir(self.path)
        (self.path).chmod(0o700)

    def save_coldkey(self, kp: Keypair, password: str | None, overwrite: bool = False) -> None:
        self.check_free(self.coldkey_file, overwrite)
        self._prepare()
        self.coldkey_file.save(kp, password=password, overwrite=True)
        self.coldkeypub_file.save(kp, overwrite=True, public_only=True)

    def save_coldkeypub(self, kp: Keypair, overwrite: bool = False) -> None:
        self.check_free(self.coldkeypub_file, overwrite)
        self._prepare()
        self.coldkeypub_file.save(kp, overwrite=True, public_only=True)

    def save_hotkey(self, hotkey: str, kp: Keypair, password: str | None = None, overwrite: bool = False) -> None:
        self.check_free(self.hotkey_file(hotkey), overwrite)
        self._prepare()
        ensure_dir(self.path / "hotkeys")
        self.hotkey_file(hotkey).save(kp, password=password, overwrite=True)
        self.hotkeypub_file(hotkey).save(kp, overwrite=True, public_only=True)

    def check_free(self, keyfile: Keyfile, overwrite: bool) -> None:
        """Refuse to replace ``keyfile`` unless ``overwrite``. A coldkey's hint never suggests replacing it."""
        if keyfile.exists and not overwrite:
            from keystore.errors import WalletExistsError

            if keyfile.path in (self.coldkey_file.path, self.coldkeypub_file.path):
                raise WalletExistsError(
                    f"wallet {self.name!r} already has a coldkey ({keyfile.path})",
                    hint=f"add a hotkey with `btkit wallet new-hotkey --wallet-name {self.name} --hotkey NAME`, "
                         f"or use another --wallet-name",
                )
            raise WalletExistsError(
                f"{keyfile.path} already exists",
                hint="choose another --hotkey name (or pass --overwrite to replace it: the old hotkey is lost)",
            )


def _check_pair(kp: Keypair, pub: Keyfile, fix: str) -> None:
    expected = pub.load_public()
    if expected.public_key != kp.public_key:
        raise KeyPairMismatchError(
            f"{pub.path} names {expected.ss58_address} but the key beside it is {kp.ss58_address}; "
            f"refusing to use a mismatched pair",
            hint=f"if the secret key is the right one, rewrite the public half: `btkit wallet {fix}`",
        )


def list_wallets(root: Path) -> list[Wallet]:
    root = Path(root).expanduser()
    if not root.is_dir():
        return []
    wallets = []
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        has_keys = any((entry / n).exists() for n in ("coldkey", "coldkeypub.txt", "hotkeys"))
        if has_keys:
            try:
                wallets.append(Wallet(root, entry.name))
            except (InvalidInputError, KeyfileError):
                continue
    return wallets
