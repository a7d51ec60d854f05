import pytest

from kiosk.ui.shell import build_shell


@pytest.fixture
def shell(qapp):
    built = build_shell(qapp, dpi=102)
    yield built
    built.window.close()
    built.window.deleteLater()
