"""A speaker that remembers what it was asked to say (tests that check what villagers hear)."""

from kiosk.voice.lines import text_of


class RecordingSpeaker:
    def __init__(self):
        self.said: list[str] = []  # each as one text
        self.spoken: list = []  # each as it was asked: a text or a list of keyed and dynamic parts
        self.stops = 0

    def say(self, spoken) -> None:
        self.said.append(text_of(spoken))
        self.spoken.append(spoken)

    def stop(self) -> None:
        self.stops += 1
