"""The outbox's states and what becomes of a sending (light: the CLI and the screens import them at start)."""

from enum import StrEnum


class State(StrEnum):
    """Where a request is on its way to the province (stored in the outbox's ``state`` column)."""

    QUEUED = "queued"
    SENDING = "sending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # set aside, the reason kept, for a volunteer to fix, resend or delete

    @property
    def words(self) -> str:
        return STATE_WORDS[self]


STATE_WORDS = {
    State.QUEUED: "等待发送",
    State.SENDING: "正在发送",
    State.ACCEPTED: "省平台已受理",
    State.REJECTED: "被退回",
}


class Settled(StrEnum):
    """What became of one attempt to send an item."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RETRY = "retry"
