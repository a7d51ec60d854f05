"""The real serial driver and reader loop against the simulator on a pseudo-terminal."""

import queue
import time

import pytest

from kiosk.cli import main
from kiosk.identity import sam
from kiosk.identity.card_reader import ReaderLoop, ReaderUnavailable, SerialCardReader
from kiosk.identity.card_simulator import DEMO_CARD, CardReaderSimulator


@pytest.fixture
def simulator(tmp_path):
    sim = CardReaderSimulator(link=tmp_path / "idcard", present=False)
    sim.plug()
    yield sim
    sim.unplug()


def test_loop_reads_once_per_placement_and_again_after_removal(simulator, tmp_path):
    cards, statuses = queue.Queue(), queue.Queue()
    loop = ReaderLoop(lambda: SerialCardReader(str(tmp_path / "idcard")), cards.put, statuses.put, poll_s=0.02)
    loop.start()
    try:
        assert statuses.get(timeout=5) == "ready"
        simulator.place_card()
        assert cards.get(timeout=5).id_number == DEMO_CARD["id_number"]
        with pytest.raises(queue.Empty):
            cards.get(timeout=0.3)  # still on the reader: not read twice
        simulator.remove_card()
        time.sleep(0.2)  # the card is off the reader for a moment, as when a villager lifts it
        other = dict(DEMO_CARD, name="李四")
        simulator.place_card(other)
        assert cards.get(timeout=5).name == "李四"
    finally:
        loop.stop()


def test_loop_survives_the_reader_being_unplugged_and_plugged_back(simulator, tmp_path):
    cards, statuses = queue.Queue(), queue.Queue()
    loop = ReaderLoop(
        lambda: SerialCardReader(str(tmp_path / "idcard"), timeout_s=0.3), cards.put, statuses.put,
        poll_s=0.02, reopen_s=0.05,
    )  # fmt: skip
    loop.start()
    try:
        assert statuses.get(timeout=5) == "ready"
        simulator.unplug()
        assert statuses.get(timeout=5) == "lost"
        simulator.plug()
        assert statuses.get(timeout=5) == "ready"
        simulator.place_card()
        assert cards.get(timeout=5).name == "张秀英"
    finally:
        loop.stop()


def test_a_corrupt_reply_is_a_protocol_error_and_the_next_read_works(simulator):
    reader = SerialCardReader(simulator.path)
    simulator.place_card()
    simulator.corrupt_replies = 1
    with pytest.raises(sam.ProtocolError):
        reader.read_card()
    assert reader.read_card().name == "张秀英"
    reader.close()


def test_no_reader_at_the_port_says_so_in_one_plain_line():
    with pytest.raises(ReaderUnavailable) as unplugged:
        SerialCardReader("/dev/nonexistent")
    assert unplugged.value.message == "打不开读卡器 /dev/nonexistent：没有这个设备（没插上，或设备名写错了）"


def test_cli_reads_and_masks(simulator, capsys):
    simulator.place_card()
    assert main(["idcard", "read", "--port", simulator.path, "--json"]) == 0
    out = capsys.readouterr().out
    assert '"id_number": "4101**********2343"' in out and '"name": "张*英"' in out
    assert DEMO_CARD["id_number"] not in out
    birth = DEMO_CARD["id_number"][6:14]
    assert birth not in out and birth[:4] not in out and '"birth": "********"' in out
    assert main(["idcard", "read", "--port", simulator.path, "--reveal", "--json"]) == 0
    revealed = capsys.readouterr().out
    assert DEMO_CARD["id_number"] in revealed and birth in revealed


@pytest.mark.parametrize(
    ("setup", "argv_extra", "words"),
    [
        ("absent", ["--timeout", "0.5"], "没有读到身份证"),
        ("corrupt", ["--timeout", "2"], "读卡器回的数据不对"),
        ("none", [], "打不开读卡器"),
    ],
)
def test_cli_failures_are_one_plain_line(simulator, capsys, setup, argv_extra, words):
    port = simulator.path if setup != "none" else "/dev/nonexistent"
    if setup == "corrupt":
        simulator.place_card()
        simulator.corrupt_replies = 99
    assert main(["idcard", "read", "--port", port, *argv_extra]) == 1
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("port", "words"), [("/dev/null", "这不是串口，不是读卡器"), ("/tmp", "这是个文件夹，不是读卡器")]
)
def test_cli_on_something_that_is_no_serial_port_says_so_plainly(port, words, capsys):
    assert main(["idcard", "read", "--port", port]) == 1
    err = capsys.readouterr().err
    assert err == f"kiosk: 打不开读卡器 {port}：{words}（读卡器是 /dev/ttyUSB0 这样的设备）\n"
