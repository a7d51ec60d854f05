"""Encryption at rest for personal data: AES-GCM with a per-kiosk key file.

The key file is created on first start, readable only by the kiosk user (0600). Look-ups use
a keyed hash (HMAC-SHA256 with a key derived from the same file), so the database never holds
an ID number in a form that can be reversed or guessed from a list of numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from pathlib import Path

KEY_BYTES = 32
NONCE_BYTES = 12


class VaultError(KioskError):
    pass


def _create_key(key_file: Path) -> None:
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = key_file.with_name(f".{key_file.name}.{os.urandom(6).hex()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(AESGCM.generate_key(bit_length=KEY_BYTES * 8))
        out.flush()
        os.fsync(out.fileno())
    try:
        # A complete key appears at once; another process starting at the same moment keeps its own
        # only if it linked first, and both then read the same one.
        os.link(partial, key_file)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


class Vault:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise VaultError(f"密钥长度应为 {KEY_BYTES} 字节")
        self._aead = AESGCM(key)
        self._lookup_key = hashlib.sha256(b"kiosk-lookup\0" + key).digest()
        self.audit_key = hashlib.sha256(b"kiosk-audit\0" + key).digest()

    @classmethod
    def open(cls, key_file: Path) -> Vault:
        if not key_file.exists():
            _create_key(key_file)
        if key_file.stat().st_mode & 0o077:
            raise VaultError(f"{key_file} 的权限太宽：应只有 kiosk 用户可读（chmod 600 {key_file}）")
        return cls(key_file.read_bytes())

    def encrypt(self, plaintext: bytes, context: bytes = b"") -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, context)

    def decrypt(self, sealed: bytes, context: bytes = b"") -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
        except (InvalidTag, ValueError):
            raise VaultError("加密数据无法解开：密钥不对或数据已损坏") from None

    def lookup_hash(self, value: str) -> str:
        return hmac.new(self._lookup_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


PIN_RULE = "6 到 8 位数字"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and 6 <= len(pin) <= 8


def hash_pin(pin: str) -> str:
    """A salted scrypt hash: a stolen hash does not give the PIN back without a long search."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, hashed: str) -> bool:
    try:
        scheme, salt, expected = hashed.split("$")
        salt_bytes, expected_bytes = bytes.fromhex(salt), bytes.fromhex(expected)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(pin.encode(), salt=salt_bytes, dklen=32, **_SCRYPT)
    return hmac.compare_digest(digest, expected_bytes)
