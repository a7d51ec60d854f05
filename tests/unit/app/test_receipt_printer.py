import logging

from kiosk.app.receipt_printer import CHINESE_ON, EscPosPrinter, print_quietly


def test_receipt_is_esc_pos_with_chinese_in_gb18030_a_native_qr_and_a_cut(tmp_path):
    out = tmp_path / "lp0"
    out.touch()
    EscPosPrinter(str(out)).print_receipt("石桥村便民服务站", "补贴申领", "K7QM-3XD9")
    data = out.read_bytes()
    assert data.startswith(b"\x1b@") or CHINESE_ON in data
    assert CHINESE_ON in data and "石桥村便民服务站".encode("gb18030") in data
    assert b"K7QM-3XD9" in data and b"\x1d(k" in data  # the QR code, drawn by the printer itself
    assert b"\x1dV" in data  # cut


def test_no_printer_is_no_error_for_the_villager(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        print_quietly(EscPosPrinter(str(tmp_path / "missing" / "lp0")), "站", "补贴申领", "K7QM-3XD9")
    assert "receipt not printed" in caplog.text
    print_quietly(None, "站", "补贴申领", "K7QM-3XD9")  # none configured: nothing at all
