"""A copy of the shipped offline cache, to break on purpose."""

import json
import shutil

import pytest

from kiosk.paths import offline_cache_dir


@pytest.fixture
def cache(tmp_path):
    target = tmp_path / "cache"
    shutil.copytree(offline_cache_dir(), target)
    return target


def edit_json(path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
