"""The reference province's reading of a pension certification's liveness evidence.

It checks the evidence's shape (kiosk/sync/contract.json, ``LivenessEvidence``) and works out for
itself which checks passed from what the kiosk measured, rather than taking the kiosk's word:
every asked action seen within its time limit, the flash score and strength over their floors.
A volunteer's attestation is recorded as such.
"""

from __future__ import annotations

import re

ACTIONS = {"blink", "turn_left", "turn_right", "open_mouth", "nod"}
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
REST_S = 1.0  # the kiosk learns the face at rest before the first action is asked (0.5 s) and some slack
# The province's own floors: a kiosk configured more leniently than this does not certify.
MIN_ACTIONS = 2
LOWEST_SCORE = 0.5
LOWEST_STRENGTH = 0.005


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers(value: object) -> bool:
    return isinstance(value, list) and all(_number(v) for v in value)


def _live_problem(evidence: dict) -> str | None:
    actions, flash, checks = evidence.get("actions"), evidence.get("flash"), evidence.get("checks")
    if not isinstance(evidence.get("passed"), bool):
        return "活体检测结果缺少是否通过"
    if not isinstance(checks, dict) or not all(isinstance(checks.get(k), bool) for k in ("actions", "flash")):
        return "活体检测结果缺少各项检查"
    if not isinstance(actions, dict):
        return "活体检测结果缺少动作记录"
    asked, seen, limits = actions.get("asked"), actions.get("seen_at_s"), actions.get("time_limits_s")
    if not isinstance(asked, list) or len(asked) > 3 or not set(asked) <= ACTIONS or len(set(asked)) != len(asked):
        return "活体检测的动作记录不对"
    if not _numbers(seen) or len(seen) > len(asked) or seen != sorted(seen):
        return "活体检测的动作时间不对"
    if not _numbers(limits) or len(limits) != len(asked):
        return "活体检测的动作时限不对"
    if not isinstance(flash, dict):
        return "活体检测结果缺少闪色记录"
    colours = flash.get("colours")
    if (
        not isinstance(colours, list)
        or len(colours) < 4
        or not all(isinstance(c, str) and HEX_COLOUR.match(c) for c in colours)
    ):
        return "活体检测的闪色记录不对"
    if (
        not _number(flash.get("segment_s"))
        or not _number(flash.get("min_score"))
        or not _number(flash.get("min_strength"))
    ):
        return "活体检测的闪色参数不对"
    for key in ("score", "strength", "lag_s"):
        if flash.get(key) is not None and not _number(flash.get(key)):
            return "活体检测的闪色得分不对"
    return None


def liveness_problem(evidence: object) -> str | None:
    """What is wrong with the evidence's shape, in words for a volunteer; None if it reads."""
    if not isinstance(evidence, dict):
        return "缺少活体检测记录"
    method = evidence.get("method")
    if method == "live":
        return _live_problem(evidence)
    if method == "volunteer":
        who, attempts = evidence.get("volunteer"), evidence.get("attempts", [])
        if not isinstance(who, str) or not who.strip():
            return "志愿者见证没有写明是谁"
        if evidence.get("passed") is not True or not isinstance(attempts, list):
            return "志愿者见证记录不对"
        return next((p for p in map(liveness_problem, attempts) if p), None)
    return "活体检测的方式不认识"


def checks_passed(evidence: dict) -> dict[str, bool]:
    """Which checks passed, worked out from the measurements (the evidence's shape already read)."""
    if evidence["method"] == "volunteer":
        return {"volunteer": True}
    actions, flash = evidence["actions"], evidence["flash"]
    asked, seen, limits = actions["asked"], actions["seen_at_s"], actions["time_limits_s"]
    waits = [t - before for t, before in zip(seen, [0.0, *seen], strict=False)]
    in_time = all(
        wait <= limit + (REST_S if i == 0 else 0) for i, (wait, limit) in enumerate(zip(waits, limits, strict=False))
    )
    score, strength = flash.get("score"), flash.get("strength")
    return {
        "actions": len(asked) >= MIN_ACTIONS and len(seen) == len(asked) and in_time,
        "flash": score is not None
        and strength is not None
        and score >= max(flash["min_score"], LOWEST_SCORE)
        and strength >= max(flash["min_strength"], LOWEST_STRENGTH),
    }


def certified(evidence: dict) -> bool:
    return all(checks_passed(evidence).values())
