"""Wallets on disk: ``<root>/<name>/{coldkey,coldkeypub.txt,hotkeys/<hotkey>[pub.txt]}``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from keystore.errors import InvalidInputError, KeyfileError, KeyNotFoundError
from keystore.fs import TMP_MARK, ensure_dir
from keystore.keyfile import Keyfile
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
    def coldkeypub(self) -> Keypair:
        if self.coldkeypub_file.exists:
            return self.coldkeypub_file.load_public()
        if self.coldkey_file.exists and not self.coldkey_file.is_encrypted:
            kp = self.coldkey_file.load()
            return Keypair(kp.public_key, kp.crypto_type)
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

    @staticmethod
    def check_free(keyfile: Keyfile, overwrite: bool) -> None:
        if keyfile.exists and not overwrite:
            from keystore.errors import WalletExistsError

            raise WalletExistsError(
                f"{keyfile.path} already exists", hint="pass --overwrite to replace it (the old key is lost)"
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
