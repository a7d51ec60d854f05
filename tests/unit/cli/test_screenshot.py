import json

from PySide6.QtGui import QImage

from kiosk.cli import main


def test_screenshot_writes_a_png_of_the_requested_size(tmp_path):
    out = tmp_path / "home.png"
    assert main(["screenshot", "--screen", "home", "--size", "1280x800", "--out", str(out)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_list_names_every_screen(capsys):
    assert main(["screenshot", "--list", "--json"]) == 0
    names = json.loads(capsys.readouterr().out)
    assert names[0] == "home"
    assert "service.pension_cert" in names


def test_screenshot_all_writes_one_file_per_screen(tmp_path, capsys):
    assert main(["screenshot", "--list", "--json"]) == 0
    names = json.loads(capsys.readouterr().out)
    assert main(["screenshot", "--screen", "all", "--size", "1280x800", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*-1280x800.png")) == sorted(f"{n}-1280x800.png" for n in names)


def test_wrong_input_gets_one_line_and_a_non_zero_exit(tmp_path, capsys):
    assert main(["screenshot", "--screen", "lottery", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk: 没有这个画面：lottery") and err.count("\n") == 1
    assert main(["screenshot", "--screen", "home"]) == 2
    assert "--out" in capsys.readouterr().err
