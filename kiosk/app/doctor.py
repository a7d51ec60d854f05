"""The technician's self-check: every device and dependency, each ok / warning / failure with a fix.

Each check stands alone: one that breaks (a driver raising, a library missing) is reported as
that check's failure and the others still run. Nothing here prints a secret or personal data.
"""

from __future__ import annotations

import queue
import shutil
import time
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.config import Config, config_path, read_config
from kiosk.errors import KioskError
from kiosk.paths import FONT_FILES, assets_dir

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from kiosk.voice.lines import Line


class Verdict(StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILURE = "failure"


OK, WARNING, FAILURE = Verdict.OK, Verdict.WARNING, Verdict.FAILURE
MIN_FREE_BYTES, LOW_FREE_BYTES = 200 * 2**20, 2**30
SLOW_UPLINK = 4 * 1024  # bytes/s: below this a produce photo takes minutes
EARLIEST_SANE_YEAR = 2025
READER_FIX = "检查读卡器的 USB 线和电源，以及 [devices] card_reader 设置；ls /dev/ttyUSB* 应能看到它"


@dataclass(frozen=True)
class Check:
    id: str
    label: str
    status: Verdict
    detail: str
    fix: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Context:
    config: Config
    data_dir: Path
    screen_lines: tuple[Line, ...] = ()  # the screens' own lines (the UI declares them), for the pack's coverage


def run_checks(context: Context, only: set[str] | None = None) -> list[Check]:
    results = []
    for check_id, label, function in CHECKS:
        if only and check_id not in only:
            continue
        try:
            status, detail, fix = function(context)
        except KioskError as error:
            status, detail, fix = FAILURE, error.message, "按上面的说明处理后再运行 kiosk doctor"
        except Exception as error:  # a broken driver is this check's failure, not the doctor's
            status, detail, fix = (
                FAILURE,
                f"检查时出错：{type(error).__name__}: {error}",
                "把 kiosk logs export 的结果发给县里",
            )
        results.append(Check(check_id, label, status, detail, fix if status != OK else ""))
    return results


def passed(results: list[Check]) -> bool:
    return all(check.status != FAILURE for check in results)


Outcome = tuple[str, str, str]


def check_config(context: Context) -> Outcome:
    path = config_path()
    _, problems = read_config(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return FAILURE, "；".join(str(p) for p in errors), f"修改 {path}，再运行 kiosk config check"
    if not path.exists():
        return WARNING, f"没有配置文件 {path}，用的是演示设置", "运行 kiosk config template 生成一份并填好"
    if problems:
        return WARNING, "；".join(str(p) for p in problems), f"修改 {path}"
    return OK, f"{path} 没有问题", ""


def check_camera(context: Context) -> Outcome:
    camera = context.config.devices.camera
    if camera is None:
        return WARNING, "没有配置摄像头，用的是模拟画面", '在 [devices] 写 camera = "/dev/video0"'
    from kiosk.app.devices import camera_opener
    from kiosk.identity.face.camera import CameraUnavailable

    try:
        opened = camera_opener(camera)()
    except CameraUnavailable:
        return (
            FAILURE,
            f"摄像头 {camera} 打不开",
            "检查摄像头的 USB 线和 [devices] camera 设置；ls /dev/video* 应能看到它",
        )
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            frame = opened.read()
            if frame is not None:
                return OK, f"摄像头 {camera} 有画面（{frame.shape[1]}×{frame.shape[0]}）", ""
            time.sleep(0.05)
    finally:
        opened.close()
    return FAILURE, f"摄像头 {camera} 打开了但 5 秒内没有画面", "检查摄像头的 USB 线，换一个接口再试"


def check_card_reader(context: Context) -> Outcome:
    spec = context.config.devices.card_reader
    if spec is None:
        return WARNING, "没有配置身份证读卡器，用的是模拟读卡器", '在 [devices] 写 card_reader = "/dev/ttyUSB0"'
    from kiosk.app.devices import reader_opener
    from kiosk.identity.card_reader import ReaderUnavailable
    from kiosk.identity.sam import ProtocolError

    try:
        reader = reader_opener(spec)()
        try:
            present = reader.card_present()
        finally:
            reader.close()
    except ReaderUnavailable as error:
        return FAILURE, error.message, READER_FIX
    except ProtocolError as error:
        return FAILURE, f"读卡器 {spec} 的应答不对（{error}）：可能不是身份证读卡器", READER_FIX
    return OK, f"读卡器 {spec} 应答正常（{'有卡' if present else '没有放卡'}）", ""


def check_printer(context: Context) -> Outcome:
    spec = context.config.devices.printer
    if spec is None:
        return OK, "没有配置小票打印机：回执只在屏幕上显示", ""
    from kiosk.app.receipt_printer import EscPosPrinter, PrinterUnavailable

    try:
        EscPosPrinter(spec).check()
    except PrinterUnavailable as error:
        return FAILURE, error.message, "检查打印机电源、纸和 USB 线，以及 [devices] printer 设置"
    return OK, f"小票打印机 {spec} 已连上", ""


def check_microphone(context: Context) -> Outcome:
    devices = _audio_devices("max_input_channels")
    if not devices:
        return WARNING, "找不到麦克风：语音操作用不了（触摸照常）", "插上麦克风；arecord -l 应能列出它"
    wanted = context.config.voice.microphone
    if wanted and not any(wanted in name for name in devices):
        return FAILURE, f"找不到配置的麦克风「{wanted}」（有：{'、'.join(devices)}）", "改 [voice] microphone 或删掉它"
    return OK, f"麦克风：{wanted or devices[0]}", ""


def check_speech(context: Context) -> Outcome:
    from kiosk.voice.tts import SpeechSettings, Synthesizer

    out_dir = context.data_dir / "speech"
    synthesizer = Synthesizer(out_dir, SpeechSettings(context.config.voice.voice, context.config.voice.rate))
    rendered: queue.Queue[Path | None] = queue.Queue()
    try:
        synthesizer.start()
        synthesizer.render("自检", rendered.put)
        path = rendered.get(timeout=20)
    except queue.Empty:
        path = None
    finally:
        synthesizer.close()
    size = path.stat().st_size if path is not None else 0
    if path is not None:
        path.unlink()
    if size < 1000:
        return FAILURE, "朗读引擎没有生成声音", "安装 espeak-ng（apt-get install espeak-ng）"
    speakers = _audio_devices("max_output_channels")
    if not speakers:
        return WARNING, "朗读引擎正常，但找不到扬声器", "接上音箱；aplay -l 应能列出声卡"
    return OK, f"朗读引擎正常，扬声器：{speakers[0]}", ""


def check_voice_model(context: Context) -> Outcome:
    from kiosk.voice.recognizer import VoiceModelMissing, check_model_dir

    folder = context.config.voice.model_dir()
    if not folder.exists():
        return (
            WARNING,
            f"没有装语音识别模型（{folder}）：只能触摸操作",
            "安装模型：kiosk voice install-model vosk-model-small-cn-0.22.zip",
        )
    try:
        check_model_dir(folder)
    except VoiceModelMissing as error:
        return FAILURE, error.message, "重新安装：kiosk voice install-model 模型压缩包.zip"
    return OK, f"语音识别模型已安装（{folder}）", ""


def check_voice_pack(context: Context) -> Outcome:
    from kiosk.voice.pack import VoicePack
    from kiosk.voice.planner import station_registry

    folder = context.config.voice.pack_dir()
    pack = VoicePack.open(folder)
    if not pack.recordings:
        return OK, "没有方言录音包：全部用机器朗读", ""
    coverage = pack.coverage(station_registry(context.screen_lines, context.config.station_name))
    detail = f"「{pack.dialect or '未注明方言'}」录音包：已录 {coverage.recorded}/{coverage.total} 句"
    problems = pack.problems()
    if problems:
        return WARNING, f"{detail}；{problems[0]}", "重新导入县里的录音包：kiosk voice pack import 录音包"
    if coverage.stale:
        return WARNING, f"{detail}；{len(coverage.stale)} 句的文字改过，仍用机器朗读", "请志愿者在录音页面重录这几句"
    return OK, detail, ""


def check_taught_commands(context: Context) -> Outcome:
    from kiosk.services.reference import reference_files
    from kiosk.store.store import open_store
    from kiosk.voice.phrases import load_phrases

    store = open_store(context.data_dir)
    try:
        counts = store.voices.counts()
    finally:
        store.close()
    if not counts:
        return OK, "还没有教过语音命令（kiosk voice teach）", ""
    phrases = load_phrases(reference_files().catalogue())
    screens = {"home": "首页", "anywhere": "各页", "confirm": "核对页"}
    parts = []
    for context_name, label in screens.items():
        taught = [intent for intent in phrases[context_name] if counts.get(intent)]
        recordings = sum(counts[intent] for intent in taught)
        parts.append(f"{label} {len(taught)}/{len(phrases[context_name])} 个命令（{recordings} 遍）")
    return OK, "教过的命令：" + "，".join(parts), ""


def check_disk(context: Context) -> Outcome:
    free = shutil.disk_usage(context.data_dir).free
    shown = f"{free / 2**30:.1f} GB"
    if free < MIN_FREE_BYTES:
        return FAILURE, f"数据盘只剩 {shown}，新申请存不下了", "清理磁盘，或先让积压的申请发出去（kiosk sync --once）"
    if free < LOW_FREE_BYTES:
        return WARNING, f"数据盘只剩 {shown}", "尽快清理磁盘"
    return OK, f"数据盘剩余 {shown}", ""


def check_database(context: Context) -> Outcome:
    from kiosk.store.store import open_store

    store = open_store(context.data_dir)
    try:
        moved = list(store.notices)
        problems = store.database.integrity_check()
        counts = store.outbox.stats()
    finally:
        store.close()
    if problems:
        return FAILURE, f"数据库检查不通过：{problems[0]}", "运行 kiosk logs export 把结果发给县里，不要删除数据目录"
    if moved:
        return WARNING, moved[0], "旧文件已留在数据目录里，交给县里恢复"
    waiting = counts["queued"] + counts["sending"]
    return OK, f"数据库完好，等待发送 {waiting} 件，被退回 {counts['rejected']} 件", ""


def check_clock(context: Context) -> Outcome:
    year = time.gmtime().tm_year
    if year < EARLIEST_SANE_YEAR:
        return FAILURE, f"系统时钟是 {year} 年，明显不对：签名会被省平台拒绝", "设置时间：timedatectl set-ntp true"
    return OK, time.strftime("系统时钟 %Y-%m-%d %H:%M:%S"), ""


def check_province(context: Context) -> Outcome:
    from kiosk.sync.client import ProvinceError, ProvinceUnreachable, ProvincialClient

    config = context.config
    client = ProvincialClient(config)
    try:
        if not client.health():
            return (
                FAILURE,
                f"连不上省平台 {config.provincial_url}",
                "检查网线或 4G，以及 provincial_url 是否写对",
            )
        try:
            accepted = client.signature_accepted()
        except (ProvinceUnreachable, ProvinceError) as error:
            return FAILURE, f"省平台连上又断了（{error}）", "网络不稳，稍后再试"
        if not accepted:
            fix = "核对 kiosk_id 和 secret 是否与县里分配的一致，再校准时钟"
            return FAILURE, "省平台不认本机的签名", fix
    finally:
        client.close()
    suffix = "（演示模式）" if config.is_demo else ""
    return OK, f"省平台 {config.provincial_url} 可达，签名被接受{suffix}", ""


def check_uplink(context: Context) -> Outcome:
    """What the last relay pass that sent photos measured: acknowledged bytes over the time it took."""
    from kiosk.store.store import open_store
    from kiosk.sync.throughput import LINK_KEY, LinkMeter

    store = open_store(context.data_dir)
    try:
        last = LinkMeter.from_saved(store.settings.get(LINK_KEY)).last_pass
    finally:
        store.close()
    if last is None or last.rate is None:
        return OK, "还没有传过照片，上传速度要等第一次传照片后才知道", ""
    when = time.strftime("%m-%d %H:%M", time.localtime(last.at))
    sent = f"{last.bytes / 1024:.0f} KB 用了 {last.seconds:.0f} 秒"
    detail = f"上次传照片（{when}）每秒 {last.rate / 1024:.1f} KB：{sent}"
    if last.rate < SLOW_UPLINK:
        return WARNING, f"{detail}，太慢，一张照片要几分钟", "检查 4G 信号：把天线或终端挪到信号好的地方"
    return OK, detail, ""


def check_font(context: Context) -> Outcome:
    folder = assets_dir() / "fonts"
    for name in FONT_FILES:
        path = folder / name
        if not path.exists() or path.read_bytes()[:4] != b"OTTO":
            return FAILURE, f"字体文件缺失或损坏：{path}", "重新运行安装脚本（install.sh）"
    return OK, f"中文字体在 {folder}", ""


def _audio_devices(channels_key: str) -> list[str]:
    try:
        import sounddevice
    except OSError as error:
        raise KioskError(f"没有声音库（{error}）：apt-get install libportaudio2") from None
    return [d["name"] for d in sounddevice.query_devices() if d[channels_key] > 0]


CHECKS: tuple[tuple[str, str, Callable[[Context], Outcome]], ...] = (
    ("config", "配置文件", check_config),
    ("camera", "摄像头", check_camera),
    ("microphone", "麦克风", check_microphone),
    ("speaker", "扬声器和朗读", check_speech),
    ("card_reader", "身份证读卡器", check_card_reader),
    ("printer", "小票打印机", check_printer),
    ("voice_model", "语音识别模型", check_voice_model),
    ("voice_pack", "方言录音包", check_voice_pack),
    ("voice_commands", "教过的语音命令", check_taught_commands),
    ("disk", "磁盘空间", check_disk),
    ("database", "数据库", check_database),
    ("clock", "系统时钟", check_clock),
    ("province", "省平台连接和签名", check_province),
    ("uplink", "照片上传速度", check_uplink),
    ("font", "中文字体", check_font),
)
