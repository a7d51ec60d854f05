"""A speaker that remembers what it was asked to say (tests that check what villagers hear)."""


class RecordingSpeaker:
    def __init__(self):
        self.said: list[str] = []
        self.stops = 0

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        self.stops += 1
