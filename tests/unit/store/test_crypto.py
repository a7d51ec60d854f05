import os

import pytest

from kiosk.store.crypto import Vault, VaultError


def test_key_file_is_created_private_and_reused(tmp_path):
    key = tmp_path / "k" / "kiosk.key"
    sealed = Vault.open(key).encrypt(b"410101199001011234", b"ctx")
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert Vault.open(key).decrypt(sealed, b"ctx") == b"410101199001011234"


def test_wrong_context_or_tampering_or_other_key_cannot_decrypt(tmp_path):
    vault = Vault.open(tmp_path / "a.key")
    sealed = vault.encrypt(b"secret", b"row-1")
    with pytest.raises(VaultError):
        vault.decrypt(sealed, b"row-2")
    with pytest.raises(VaultError):
        vault.decrypt(sealed[:-1] + bytes([sealed[-1] ^ 1]), b"row-1")
    with pytest.raises(VaultError):
        Vault.open(tmp_path / "b.key").decrypt(sealed, b"row-1")


def test_a_key_file_others_can_read_is_refused(tmp_path):
    key = tmp_path / "kiosk.key"
    Vault.open(key)
    os.chmod(key, 0o644)
    with pytest.raises(VaultError, match="chmod 600"):
        Vault.open(key)


def test_lookup_hash_is_stable_keyed_and_not_the_number(tmp_path):
    a, b = Vault.open(tmp_path / "a.key"), Vault.open(tmp_path / "b.key")
    assert a.lookup_hash("410101199001011234") == a.lookup_hash("410101199001011234")
    assert a.lookup_hash("410101199001011234") != b.lookup_hash("410101199001011234")
    assert "410101" not in a.lookup_hash("410101199001011234")
