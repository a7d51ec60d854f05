"""What face check-in says to the villager: kind, short, and never blaming."""

from kiosk.voice.lines import phrase

LOOK_HERE = phrase("screen.face.look_here", "请看着屏幕，把脸放进椭圆框里。")
COME_CLOSER = phrase("screen.face.come_closer", "请再靠近一点。")
NOT_RECOGNISED = phrase("screen.face.not_recognised", "这次没有认出来，我们再试一次。")
GIVE_UP = phrase("screen.face.give_up", "没关系，可以改用身份证，或者请志愿者来帮忙。")
RECOGNISED = phrase("screen.face.recognised", "认出来了。")
