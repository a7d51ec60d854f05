"""Kiosk configuration: one TOML file, overridden by environment variables.

The file is ``KIOSK_CONFIG`` if set, else ``kiosk.toml`` in the data directory; with neither,
the kiosk runs on its demo defaults, which match the reference provincial server's, so the two
work together out of the box on loopback. Every setting is declared once, on its field below
(``setting``: default, environment variable, meaning, limits). ``SETTINGS`` reads the declarations
back, and everything else derives from it: ``kiosk config template`` prints them as a commented
file, ``kiosk config check`` reports every problem in a file at once with its line, and the
running kiosk builds its ``Config`` from the same list.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.errors import KioskError
from kiosk.paths import data_dir

DEMO_KIOSK_ID = "demo-kiosk-0001"
DEMO_SECRET = "demo-secret-village-kiosk-not-for-production"
DEMO_PORT = 8780
DEMO_URL = f"http://127.0.0.1:{DEMO_PORT}"


class ConfigError(KioskError):
    pass


@dataclass(frozen=True)
class Setting:
    key: str  # "section.name", or "name" at the top of the file
    kind: str  # text, secret, url, int, float, path, choice, answers
    default: object
    env: str | None = None
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        return self.key.rpartition(".")[0]

    @property
    def name(self) -> str:
        return self.key.rpartition(".")[2]


def setting(
    default: object,
    help: str,
    env: str | None = None,
    kind: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] = (),
    shown: bool = True,
):
    """A configuration field: its default, meaning, variable and limits, declared here and nowhere else.

    The template, the checker and the running kiosk all read the declarations through ``SETTINGS``.
    """
    if kind is None:
        kind = {bool: None, int: "int", float: "float", str: "text"}.get(type(default))
    if kind is None:
        raise TypeError(f"say which kind of setting has the default {default!r}")
    spec = {"kind": kind, "env": env, "help": help, "minimum": minimum, "maximum": maximum, "choices": choices}
    return field(default=default, metadata={"setting": spec}, repr=shown and kind != "secret")


@dataclass(frozen=True)
class SyncConfig:
    batch_size: int = setting(100, "每批发送几件", "KIOSK_SYNC_BATCH_SIZE", minimum=1, maximum=1000)
    backoff_base_s: float = setting(2.0, "重试等待的起点（秒）", "KIOSK_SYNC_BACKOFF_BASE", minimum=0.01)
    backoff_cap_s: float = setting(900.0, "重试等待的上限（秒）", "KIOSK_SYNC_BACKOFF_CAP", minimum=0.01)
    probe_interval_s: float = setting(30.0, "断网时多久探一次（秒）", "KIOSK_SYNC_PROBE_INTERVAL", minimum=0.01)
    timeout_s: float = setting(
        10.0, "每次请求至少给的时间（秒），慢网上按数据量和测得的网速加长", "KIOSK_SYNC_TIMEOUT", minimum=1, maximum=300
    )
    answer_wait_s: float = setting(
        5.0, "在线查询最多等省里回答几秒，过了就改成离线办理", "KIOSK_ANSWER_WAIT", minimum=1, maximum=30
    )
    heartbeat_interval_s: float = setting(300.0, "向省平台报平安的间隔（秒）", "KIOSK_HEARTBEAT_INTERVAL", minimum=30)
    relay: str = setting(
        "ui",
        "谁负责发送：ui（界面里）或 service（kiosk-relay 服务）",
        "KIOSK_SYNC_RELAY",
        "choice",
        choices=("ui", "service"),
    )


@dataclass(frozen=True)
class DeviceConfig:
    card_reader: str | None = setting(None, "身份证读卡器：/dev/ttyUSB0 或 sdtapi:库@端口", "KIOSK_CARD_READER", "text")
    camera: str | None = setting(None, "摄像头：0、/dev/video0 或图片/视频文件", "KIOSK_CAMERA", "text")
    printer: str | None = setting(None, "小票打印机：/dev/usb/lp0 或 tcp:地址:端口", "KIOSK_PRINTER", "text")


@dataclass(frozen=True)
class VoiceConfig:
    model_path: Path | None = setting(
        None, "语音识别模型目录（kiosk voice install-model）", "KIOSK_VOICE_MODEL", "path"
    )
    # espeak-ng 1.51 reads tone numbers aloud in English with plain sit/cmn; this variant speaks Mandarin.
    voice: str = setting("sit/cmn-Latn-pinyin", "朗读用的声音（espeak-ng 的普通话）", "KIOSK_VOICE")
    rate: int = setting(120, "朗读语速（每分钟字数）", "KIOSK_VOICE_RATE", minimum=60, maximum=300)
    microphone: str | None = setting(None, "麦克风名称（空着用系统默认）", "KIOSK_MICROPHONE", "text")
    pack_path: Path | None = setting(None, "本地方言录音包目录（kiosk voice pack import）", "KIOSK_VOICE_PACK", "path")
    dialect: str = setting("本地话", "在终端上新录的录音包叫什么方言", "KIOSK_VOICE_DIALECT", "text")
    template_threshold: float = setting(
        40.0, "教过的命令：最远多远还算听懂（越小越严）", "KIOSK_VOICE_TEMPLATE_THRESHOLD", minimum=5, maximum=200
    )
    template_margin: float = setting(
        0.25, "教过的命令：第二像的命令至少要远出几成", "KIOSK_VOICE_TEMPLATE_MARGIN", minimum=0, maximum=3
    )

    def model_dir(self) -> Path:
        return self.model_path or data_dir() / "voice-model"

    def pack_dir(self) -> Path:
        return self.pack_path or data_dir() / "voice-pack"


@dataclass(frozen=True)
class FaceConfig:
    match_threshold: float = setting(
        0.55, "人脸比对阈值，越小越严", "KIOSK_FACE_MATCH_THRESHOLD", minimum=0.2, maximum=0.8
    )
    find_face_s: float = setting(15.0, "刷脸：多久还没看清脸，就请她改用身份证或叫志愿者（秒）", minimum=5, maximum=120)
    time_limit_s: float = setting(60.0, "刷脸：整个刷脸最多几秒，到时请她改用身份证或叫志愿者", minimum=20, maximum=300)
    turn: float = setting(0.15, "转头幅度（以两眼间距计）", minimum=0.05, maximum=1)
    blink_drop: float = setting(0.7, "眨眼：眼睛纵横比降到平时的几成算闭眼", minimum=0.3, maximum=0.95)
    mouth_open: float = setting(0.15, "张嘴：上下唇分开多少算张嘴（以眼到嘴的距离计）", minimum=0.05, maximum=1)
    nod: float = setting(0.07, "点头：鼻尖下移多少算点头（以眼到嘴的距离计）", minimum=0.02, maximum=0.5)
    blink_time_s: float = setting(5.0, "眨眼最多等几秒", minimum=1, maximum=30)
    turn_time_s: float = setting(6.0, "向左或向右转头最多等几秒", minimum=1, maximum=30)
    mouth_time_s: float = setting(5.0, "张嘴最多等几秒", minimum=1, maximum=30)
    nod_time_s: float = setting(6.0, "点头最多等几秒", minimum=1, maximum=30)
    flash_colours: int = setting(8, "闪色检测：屏幕边框依次显示几种颜色", minimum=4, maximum=20)
    flash_segment_s: float = setting(0.4, "闪色检测：每种颜色显示几秒（每秒变色不超过 3 次）", minimum=0.34, maximum=2)
    flash_min_score: float = setting(
        0.65, "闪色检测：脸上反光跟上屏幕颜色的最低分（0 到 1）", minimum=0.1, maximum=0.99
    )
    flash_min_strength: float = setting(
        0.01, "闪色检测：脸上反光的最低强度（手机屏幕的玻璃只反一点点）", minimum=0.001, maximum=0.2
    )
    flash_max_lag_s: float = setting(0.4, "闪色检测：屏幕到摄像头画面最多晚几秒", minimum=0.05, maximum=1)
    card_photo_decoder: Path | None = setting(
        None, "身份证照片解码库（厂家提供的 .so）", "KIOSK_CARD_PHOTO_DECODER", "path"
    )


@dataclass(frozen=True)
class SessionConfig:
    idle_timeout_s: float = setting(
        120.0, "无人操作多久后清空回首页（秒）", "KIOSK_IDLE_TIMEOUT", minimum=40, maximum=1800
    )
    idle_warning_s: float = setting(
        30.0, "清空前多久提醒（秒，至少 20）", "KIOSK_IDLE_WARNING", minimum=20, maximum=600
    )


@dataclass(frozen=True)
class RetentionConfig:
    answers_days: int = setting(30, "查询结果保留几天", "KIOSK_RETENTION_ANSWERS_DAYS", minimum=1, maximum=365)
    accepted_days: int = setting(30, "已受理的申请保留几天", "KIOSK_RETENTION_ACCEPTED_DAYS", minimum=1, maximum=3650)
    set_aside_days: int = setting(
        30, "被退回、没人处理的申请保留几天", "KIOSK_RETENTION_SET_ASIDE_DAYS", minimum=1, maximum=365
    )
    max_days: int = setting(
        90, "已受理的申请最多保留几天，不管结果回来没有", "KIOSK_RETENTION_MAX_DAYS", minimum=1, maximum=3650
    )


MAX_COMMON_ANSWERS = 4  # with 「自己输入」 beside them, five choices on one screen
MAX_ANSWER_CHARS = 10  # each is a big button
FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")
CommonAnswers = tuple[tuple[str, tuple[str, ...]], ...]  # (field id, its answers), in the file's order


@dataclass(frozen=True)
class FormConfig:
    common_answers: CommonAnswers = setting(
        (("pickup", ("村委会", "服务站", "自己家")),),
        f"文字题先给的常用答案，按题目（如 pickup 取货地点）各写最多 {MAX_COMMON_ANSWERS} 个，每个不超过 "
        f"{MAX_ANSWER_CHARS} 个字；不在这里的，由她自己输入",
        kind="answers",
    )

    def answers_for(self, field_id: str) -> tuple[str, ...]:
        return dict(self.common_answers).get(field_id, ())


@dataclass(frozen=True)
class Config:
    kiosk_id: str = setting(DEMO_KIOSK_ID, "本机编号，由县里分配", "KIOSK_ID")
    station_name: str = setting("村级便民服务站", "服务站名称，显示在屏幕上", "KIOSK_STATION_NAME")
    provincial_url: str = setting(DEMO_URL, "省平台地址，https:// 开头", "KIOSK_PROVINCIAL_URL", "url")
    secret: str = setting(DEMO_SECRET, "本机的签名密钥，由县里分配", "KIOSK_SECRET", "secret")
    technician_pin_hash: str = setting(
        "", "技术员 PIN 的散列（kiosk pin hash 生成）", "KIOSK_TECHNICIAN_PIN_HASH", shown=False
    )
    sync: SyncConfig = SyncConfig()
    devices: DeviceConfig = DeviceConfig()
    voice: VoiceConfig = VoiceConfig()
    face: FaceConfig = FaceConfig()
    session: SessionConfig = SessionConfig()
    retention: RetentionConfig = RetentionConfig()
    form: FormConfig = FormConfig()

    @property
    def is_demo(self) -> bool:
        return self.secret == DEMO_SECRET


def _declared(cls: type, section: str = "") -> list[Setting]:
    """Every setting of ``cls`` in file order: its own fields, then its sections' (a section is a field
    whose default is itself a declared dataclass)."""
    found: list[Setting] = []
    for item in fields(cls):
        spec = item.metadata.get("setting")
        if spec is not None:
            key = f"{section}.{item.name}" if section else item.name
            found.append(Setting(key, spec["kind"], item.default, spec["env"], spec["help"], spec["minimum"],
                                 spec["maximum"], spec["choices"]))  # fmt: skip
    for item in fields(cls):
        if is_dataclass(item.default):
            found += _declared(type(item.default), item.name)
    return found


SETTINGS: tuple[Setting, ...] = tuple(_declared(Config))
BY_KEY = {setting.key: setting for setting in SETTINGS}
SECTIONS = {"", *(setting.section for setting in SETTINGS)}
_SECTION_TYPES = {item.name: type(item.default) for item in fields(Config) if is_dataclass(item.default)}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the configuration: where, what, and what to write instead."""

    key: str
    message: str
    fix: str
    line: int | None = None
    severity: str = "error"  # or "warning": the kiosk still starts

    def __str__(self) -> str:
        where = f"第 {self.line} 行 " if self.line else ""
        return f"{where}{self.key}: {self.message}；{self.fix}"


def config_path() -> Path:
    configured = os.environ.get("KIOSK_CONFIG")
    return Path(configured) if configured else data_dir() / "kiosk.toml"


def load_config() -> Config:
    """The configuration in force; the first error in it stops the kiosk with its line and fix."""
    config, problems = read_config(config_path())
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise ConfigError(f"{config_path()}: {errors[0]}")
    return config


def read_config(path: Path, environ: dict[str, str] | None = None) -> tuple[Config, list[Problem]]:
    """The configuration from ``path`` and the environment, and every problem found on the way."""
    environ = os.environ if environ is None else environ
    raw, lines, problems = _read_file(path)
    values: dict[str, object] = {}
    problems += _unknown_keys(raw, lines)
    for setting in SETTINGS:
        source, value = _raw_value(setting, raw, environ)
        if value is None:
            continue
        where = lines.get(setting.key) if source == "file" else None
        label = setting.key if source == "file" else f"{setting.key}（环境变量 {setting.env}）"
        converted, problem = _convert(setting, value, label, where)
        if problem:
            problems.append(problem)
        else:
            values[setting.key] = converted
    config = _build(values)
    problems += _cross_checks(config, lines)
    return config, sorted(problems, key=lambda p: p.line or 0)


def _read_file(path: Path) -> tuple[dict, dict[str, int], list[Problem]]:
    """The file's settings, the line each is on, and what stopped it being read."""
    raw: dict = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            raw = tomllib.loads(text)
            lines = _key_lines(text)
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem("(文件)", f"读不出来（{error}）", "检查文件权限和编码（应为 UTF-8）"))
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            problems.append(
                Problem(
                    "(文件)",
                    f"格式不对：{_toml_reason(str(error))}",
                    '按 键 = 值 的格式写，文字要加引号，例如 kiosk_id = "HN-0101"',
                    int(line.group(1)) if line else len(text.splitlines()) or None,
                )
            )
    return raw, lines, problems


# tomllib's reasons, as a technician can act on them (first match wins)
_TOML_REASONS = (
    ("Illegal character '\\n'", "这一行的引号没有配对，文字结尾少了一个引号"),
    ("Unterminated string", "引号没有配对，文字结尾少了一个引号"),
    ("Illegal character", "有看不见的控制字符，删掉这一行重新输入"),
    ("Invalid value", "等号后面的值看不懂：文字要加引号，数字和 true/false 不加"),
    ("Expected '=' after a key", "名字后面少了等号 ="),
    ("Expected ']'", "[段名] 少了右方括号 ]"),
    ("Unclosed", "括号没有配对"),
    ("Cannot overwrite", "同一项写了两次，删掉一处"),
    ("Cannot declare", "同一项写了两次，删掉一处"),
    ("Cannot redefine", "同一段写了两次，删掉一处"),
    ("Duplicate", "同一项写了两次，删掉一处"),
    ("Unescaped", "文字里的反斜杠 \\ 要写两个，或者整段改用单引号"),
    ("Invalid date", "日期写得不对"),
)


def _toml_reason(message: str) -> str:
    for start, reason in _TOML_REASONS:
        if message.startswith(start):
            return reason
    return "这一行不是 键 = 值 的样子"


def check_config(path: Path, environ: dict[str, str] | None = None) -> list[Problem]:
    """What ``kiosk config check`` reports: the file's own values, checked as written, then what the
    environment changes: its own mistakes, and a warning for each file value it overrides."""
    environ = os.environ if environ is None else environ
    _, own = read_config(path, {})
    _, in_force = read_config(path, environ)
    shown = {str(problem) for problem in own}
    raw, lines, _ = _read_file(path)
    overridden = [
        Problem(
            setting.key,
            f"环境变量 {setting.env} 盖过了文件里的值，运行时用的是环境变量的",
            f"要用文件里的值，先 unset {setting.env}",
            lines.get(setting.key),
            "warning",
        )
        for setting in SETTINGS
        if setting.env and setting.env in environ and _raw_value(setting, raw, {})[0] == "file"
    ]
    return sorted(own + [p for p in in_force if str(p) not in shown] + overridden, key=lambda p: p.line or 0)


def _raw_value(setting: Setting, raw: dict, environ) -> tuple[str, object]:
    if setting.env and setting.env in environ:
        return "env", environ[setting.env]
    table = raw.get(setting.section, {}) if setting.section else raw
    if isinstance(table, dict) and setting.name in table:
        return "file", table[setting.name]
    return "default", None


def _convert(setting: Setting, value: object, label: str, line: int | None) -> tuple[object, Problem | None]:
    shown = "（已隐藏）" if setting.kind == "secret" else f"「{value}」"
    example = _example(setting)
    if setting.kind == "answers":
        return _common_answers(setting, value, label, line)
    try:
        if setting.kind in ("int", "float"):
            if isinstance(value, bool):
                raise ValueError
            number = int(value) if setting.kind == "int" else float(value)
            if setting.kind == "int" and isinstance(value, float) and not value.is_integer():
                raise ValueError
            low, high = setting.minimum, setting.maximum
            if (low is not None and number < low) or (high is not None and number > high):
                limits = f"应在 {low:g} 到 {high:g} 之间" if high is not None else f"应不小于 {low:g}"
                return None, Problem(label, f"{limits}，现在是 {number:g}", f"写成 {example}", line)
            return number, None
        if not isinstance(value, str) or not value.strip():
            return None, Problem(label, f"应是一段文字，现在是{shown}", f"写成 {example}", line)
        if setting.kind == "path":
            return Path(value), None
        if setting.kind == "choice" and value not in setting.choices:
            return None, Problem(
                label, f"只能是 {' 或 '.join(setting.choices)}，现在是{shown}", f"写成 {example}", line
            )
        if setting.kind == "url":
            reason = _url_problem(value)
            if reason:
                return None, Problem(label, reason, f'写成 {setting.name} = "https://省平台地址"', line)
        return value, None
    except (TypeError, ValueError):
        kind = "整数" if setting.kind == "int" else "数字"
        return None, Problem(label, f"应是{kind}，现在是{shown}", f"写成 {example}", line)


def _common_answers(setting: Setting, value: object, label: str, line: int | None) -> tuple[object, Problem | None]:
    """``{ pickup = ["村委会", "服务站"] }``: up to MAX_COMMON_ANSWERS short answers for each text field."""
    example = f"写成 {_example(setting)}"
    if not isinstance(value, dict):
        return None, Problem(label, "应按题目写，每题一串答案", example, line)
    found = []
    for field_id, answers in value.items():
        where = f"{label}.{field_id}"
        if not FIELD_ID.match(field_id):
            return None, Problem(where, "题目的编号只能用小写字母、数字和下划线", example, line)
        if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
            return None, Problem(where, "应是一串文字，每个加引号", example, line)
        cleaned = tuple(answer.strip() for answer in answers)
        if not 1 <= len(cleaned) <= MAX_COMMON_ANSWERS:
            limit = f"应有 1 到 {MAX_COMMON_ANSWERS} 个（加上「自己输入」一屏五个），现在是 {len(cleaned)} 个"
            return None, Problem(where, limit, "删掉不常用的", line)
        if long := next((answer for answer in cleaned if len(answer) > MAX_ANSWER_CHARS), None):
            return None, Problem(where, f"「{long}」超过 {MAX_ANSWER_CHARS} 个字（它是一个按钮）", "写短一点", line)
        if len(set(cleaned)) != len(cleaned):
            return None, Problem(where, "有重复的答案", "每个只写一次", line)
        found.append((field_id, cleaned))
    return tuple(found), None


def _toml_list(texts: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{text}"' for text in texts) + "]"


def _example(setting: Setting) -> str:
    default = setting.default
    if setting.kind == "answers":
        tables = ", ".join(f"{field_id} = {_toml_list(answers)}" for field_id, answers in default)
        return f"{setting.name} = {{ {tables} }}"
    if setting.kind == "secret":
        value = '"县里分配的密钥"'
    elif setting.kind in ("int", "float"):
        value = f"{default:g}" if isinstance(default, float) else str(default)
    elif setting.kind == "choice":
        value = f'"{setting.choices[0]}"'
    else:
        value = f'"{default}"' if default else '"…"'
    return f"{setting.name} = {value}"


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"应以 https:// 开头，现在是「{url}」"
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return f"必须用 https（明文 http 只允许本机测试），现在是「{url}」"
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _build(values: dict[str, object]) -> Config:
    sections: dict[str, dict] = {name: {} for name in SECTIONS}
    for key, value in values.items():
        setting = BY_KEY[key]
        sections[setting.section][setting.name] = value
    top = sections.pop("")
    parts = {name: _SECTION_TYPES[name](**kwargs) for name, kwargs in sections.items()}
    return Config(**top, **parts)


def _cross_checks(config: Config, lines: dict[str, int]) -> list[Problem]:
    found: list[tuple[str, str, str, str]] = []  # key, what is wrong, what to write, severity
    if not _is_loopback(urlsplit(config.provincial_url).hostname or ""):
        if config.is_demo:
            found.append(("secret", "连的是真实省平台，却还在用演示密钥", 'secret = "县里分配的密钥"', "error"))
        if config.kiosk_id == DEMO_KIOSK_ID:
            found.append(("kiosk_id", "连的是真实省平台，却还在用演示编号", 'kiosk_id = "县里分配的编号"', "error"))
    elif config.is_demo and lines:
        found.append(("secret", "还是演示设置：只能连本机的模拟省平台", 'secret = "县里分配的密钥"', "warning"))
    if config.session.idle_warning_s >= config.session.idle_timeout_s:
        limit = f"（清空时间现在是 {config.session.idle_timeout_s:g} 秒）"
        found.append(("session.idle_warning_s", "提醒时间应短于清空时间", f"idle_warning_s = 30{limit}", "error"))
    if config.face.find_face_s >= config.face.time_limit_s:
        limit = f"（整个刷脸现在最多 {config.face.time_limit_s:g} 秒）"
        found.append(("face.find_face_s", "找脸的时间应短于整个刷脸的时间", f"find_face_s = 15{limit}", "error"))
    paths = {"voice.model_path": config.voice.model_path, "voice.pack_path": config.voice.pack_path,
             "face.card_photo_decoder": config.face.card_photo_decoder}  # fmt: skip
    for key, path in paths.items():
        if path is not None and not path.exists():
            found.append((key, f"{path} 不存在", "先安装它，或删掉这一行", "warning"))
    return [
        Problem(key, message, fix if fix.startswith("先") else f"写成 {fix}", lines.get(key), severity)
        for key, message, fix, severity in found
    ]


def _unknown_keys(raw: dict, lines: dict[str, int]) -> list[Problem]:
    problems = []
    for name, value in raw.items():
        if isinstance(value, dict):
            if name not in SECTIONS:
                problems.append(_unknown(f"[{name}]", [f"[{s}]" for s in SECTIONS if s], lines.get(f"[{name}]")))
                continue
            for key in value:
                full = f"{name}.{key}"
                if full not in BY_KEY:
                    known = [s.name for s in SETTINGS if s.section == name]
                    problems.append(_unknown(full, known, lines.get(full)))
        elif name not in BY_KEY:
            problems.append(_unknown(name, [s.key for s in SETTINGS if not s.section], lines.get(name)))
    return problems


def _unknown(key: str, known: list[str], line: int | None) -> Problem:
    close = difflib.get_close_matches(key.rpartition(".")[2], known, n=1)
    fix = f"是不是想写 {close[0]}？" if close else f"可用的有：{'、'.join(known)}"
    return Problem(key, "没有这一项", fix, line)


_SECTION_LINE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)(?:\s*\.\s*[A-Za-z0-9_-]+)*\s*=")  # common_answers.pickup =


def _key_lines(text: str) -> dict[str, int]:
    """Where each key of our flat layout is written, for messages (tomllib keeps no positions)."""
    lines: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _SECTION_LINE.match(line):
            section = match.group(1)
            lines.setdefault(f"[{section}]", number)
        elif match := _KEY_LINE.match(line):
            lines.setdefault(f"{section}.{match.group(1)}" if section else match.group(1), number)
    return lines


def template() -> str:
    """A commented kiosk.toml with every setting at its default, for technicians to fill in."""
    out = ["# 村级便民服务终端的配置。改完运行 kiosk config check 检查。", ""]
    section = ""
    for setting in SETTINGS:
        if setting.section != section:
            section = setting.section
            out += ["", f"[{section}]"]
        env = f"（环境变量 {setting.env}）" if setting.env else ""
        out.append(f"# {setting.help}{env}")
        line = _example(setting)
        if setting.default is None or setting.default == "" or setting.kind == "secret":
            line = f"# {line}"
        out.append(line)
    return "\n".join(out) + "\n"
