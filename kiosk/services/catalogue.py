"""The service catalogue: which services the kiosk offers and what each asks for.

The set of services is data (``catalogue.json`` in the offline cache), so a county can change
it without touching code. Choice lists that the province maintains (subsidy types, products)
live in their own reference files and are named by ``choices_from``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, KioskError
from kiosk.paths import assets_dir

if TYPE_CHECKING:
    from pathlib import Path

FIELD_TYPES = {"choice", "number", "money", "phone", "photo", "date", "text"}
MAX_HOME_SERVICES = 5
UNIT_SLOT = "{unit}"  # in a prompt: where the unit she chose is said (每{unit}卖多少钱？)
# The only lists a field may take its choices from, and so the only names that become file paths.
CHOICE_LISTS = ("subsidy_types", "products")


class CatalogueError(KioskError):
    """The catalogue file is missing or malformed; the message names the place."""


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    voice: tuple[str, ...] = ()  # the things villagers name that are this choice (土豆 for 蔬菜)


@dataclass(frozen=True)
class Condition:
    """A field applies only when the earlier choice ``field`` was answered with one of ``values``."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    id: str
    type: str
    label: str
    prompt: str
    required: bool = True
    personal: bool = False
    choices: tuple[Choice, ...] = ()
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    decimals: int | None = None
    max_length: int | None = None
    source: str | None = None
    unit_from: str | None = None  # the choice field whose answer is this number's unit (数量 in 斤)
    when: tuple[Condition, ...] = ()  # all must hold for the field to be asked, shown and sent

    def applies(self, answers: dict[str, object]) -> bool:
        return all(answers.get(condition.field) in condition.values for condition in self.when)

    def prompt_parts(self, unit: str) -> list[str]:
        """The question with ``unit`` in its unit slot (每{unit}卖多少钱？ → 每 斤 卖多少钱？): pieces
        said on their own, so the two halves and the unit can each be recorded once."""
        before, slot, after = self.prompt.partition(UNIT_SLOT)
        return [part for part in (before, unit, after) if part] if slot else [self.prompt]


@dataclass(frozen=True)
class Service:
    id: str
    label: str
    icon: str
    kind: str
    prompt: str
    needs_checkin: bool
    volunteer_assisted: bool = False
    voice: tuple[str, ...] = ()
    fields: tuple[Field, ...] = field(default=())

    def fields_for(self, answers: dict[str, object]) -> list[Field]:
        """The fields that apply given these answers, in order. An answer to a field that does not apply
        counts for nothing (高龄津贴 then 面积: the area is not asked, so nothing can depend on it)."""
        applying, counted = [], {}
        for item in self.fields:
            if item.applies(counted):
                applying.append(item)
                if item.id in answers:
                    counted[item.id] = answers[item.id]
        return applying

    def condition_words(self, item: Field) -> str:
        """When ``item`` is asked, for a technician or a volunteer: 「补贴种类是耕地地力保护补贴、稻谷生产者补贴」."""
        parts = []
        for condition in item.when:
            earlier = next(f for f in self.fields if f.id == condition.field)
            labels = [c.label for c in earlier.choices if c.id in condition.values]
            parts.append(f"{earlier.label}是{'、'.join(labels)}")
        return "，且".join(parts)


@dataclass(frozen=True)
class Catalogue:
    station: str
    services: tuple[Service, ...]

    def service(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        known = "、".join(s.id for s in self.services)
        raise InvalidInput(f"没有这项服务：{service_id}（可用：{known}）")


def find(folders: tuple[Path, ...], name: str) -> Path:
    """``name``.json from the first folder that has it (the province's newer copy before the shipped one)."""
    for folder in folders:
        if (folder / f"{name}.json").exists():
            return folder / f"{name}.json"
    return folders[-1] / f"{name}.json"


def load_catalogue(*folders: Path) -> Catalogue:
    path = find(folders, "catalogue")
    raw = _read_json(path)
    try:
        services = tuple(_service(entry, folders) for entry in raw["services"])
        catalogue = Catalogue(station=str(raw.get("station", "便民服务站")), services=services)
    except (KeyError, TypeError, ValueError) as error:
        raise CatalogueError(f"{path}: 格式不对（{_describe(error)}）") from None
    _check(catalogue, path)
    return catalogue


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"{path}: 文件不存在") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueError(f"{path}: 读不出来（{error}）") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: 最外层应是一个 JSON 对象")
    return data


def _service(entry: dict, folders: tuple[Path, ...]) -> Service:
    return Service(
        id=str(entry["id"]),
        label=str(entry["label"]),
        icon=str(entry["icon"]),
        kind=str(entry["kind"]),
        prompt=str(entry["prompt"]),
        needs_checkin=bool(entry["needs_checkin"]),
        volunteer_assisted=bool(entry.get("volunteer_assisted", False)),
        voice=tuple(str(v) for v in entry.get("voice", ())),
        fields=tuple(_field(item, folders) for item in entry.get("fields", ())),
    )


def _field(entry: dict, folders: tuple[Path, ...]) -> Field:
    choices = entry.get("choices")
    if "choices_from" in entry:
        if entry["choices_from"] not in CHOICE_LISTS:
            raise ValueError(f"choices_from 只能是 {'、'.join(CHOICE_LISTS)}，现在是「{entry['choices_from']}」")
        choices = _read_json(find(folders, entry["choices_from"]))["items"]
    return Field(
        id=str(entry["id"]),
        type=str(entry["type"]),
        label=str(entry["label"]),
        prompt=str(entry["prompt"]),
        required=bool(entry.get("required", True)),
        personal=bool(entry.get("personal", False)),
        choices=tuple(
            Choice(id=str(c["id"]), label=str(c["label"]), voice=tuple(str(v) for v in c.get("voice", ())))
            for c in choices or ()
        ),
        unit=entry.get("unit"),
        minimum=entry.get("min"),
        maximum=entry.get("max"),
        decimals=entry.get("decimals"),
        max_length=entry.get("max_length"),
        source=entry.get("source"),
        unit_from=entry.get("unit_from"),
        when=_conditions(entry.get("when", {})),
    )


def _conditions(when: object) -> tuple[Condition, ...]:
    """``{"subsidy_type": ["farmland_protection", "grain_producer"]}``: asked only for those choices."""
    shape = 'when 应写成 {"前面的选择题": ["选项", …]}'
    if not isinstance(when, dict):
        raise ValueError(shape)
    conditions = []
    for name, values in when.items():
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise ValueError(shape)
        conditions.append(Condition(str(name), tuple(values)))
    return tuple(conditions)


def _check(catalogue: Catalogue, path: Path) -> None:
    services = catalogue.services
    if not 1 <= len(services) <= MAX_HOME_SERVICES:
        raise CatalogueError(f"{path}: 首页需要 1 到 {MAX_HOME_SERVICES} 项服务，现在是 {len(services)} 项")
    ids = [s.id for s in services]
    if len(set(ids)) != len(ids):
        raise CatalogueError(f"{path}: 服务编号重复")
    icons = {icon.stem for icon in (assets_dir() / "icons").glob("*.svg")}
    for service in services:
        if service.icon not in icons:
            raise CatalogueError(
                f"{path}: 服务 {service.id} 的图标「{service.icon}」不是终端自带的（可用：{'、'.join(sorted(icons))}）"
            )
        if not 2 <= len(service.label) <= 4:
            raise CatalogueError(f"{path}: 服务 {service.id} 的名称应为 2 到 4 个字，现在是「{service.label}」")
        for item in service.fields:
            if item.type not in FIELD_TYPES:
                raise CatalogueError(f"{path}: 服务 {service.id} 的字段 {item.id} 类型未知：{item.type}")
            if item.type == "choice" and not item.choices:
                raise CatalogueError(f"{path}: 服务 {service.id} 的字段 {item.id} 没有可选项")
            _check_conditions(service, item, f"{path}: 服务 {service.id} 的字段 {item.id}")


def _check_conditions(service: Service, item: Field, where: str) -> None:
    """A condition names a choice asked before this field, and values that choice really has."""
    earlier = {f.id: f for f in service.fields[: service.fields.index(item)]}
    for condition in item.when:
        choice = earlier.get(condition.field)
        if choice is None or choice.type != "choice":
            raise CatalogueError(f"{where} 的 when 指的「{condition.field}」不是它前面的选择题")
        known = [c.id for c in choice.choices]
        unknown = [v for v in condition.values if v not in known]
        if unknown:
            raise CatalogueError(
                f"{where} 的 when 里「{condition.field}」没有选项「{unknown[0]}」（可选：{'、'.join(known)}）"
            )
    if item.unit_from is not None and getattr(earlier.get(item.unit_from), "type", None) != "choice":
        raise CatalogueError(f"{where} 的 unit_from 指的「{item.unit_from}」不是它前面的选择题")
    if UNIT_SLOT in item.prompt and item.unit_from is None:
        raise CatalogueError(f"{where} 的提示里有 {UNIT_SLOT}，但没有 unit_from 说它是哪道题选的单位")


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"缺少 {error.args[0]}"
    return str(error)
