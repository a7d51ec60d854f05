"""What face check-in says to the villager: kind, short, and never blaming."""

LOOK_HERE = "请看着屏幕，把脸放进椭圆框里。"
COME_CLOSER = "请再靠近一点。"
NOT_RECOGNISED = "这次没有认出来，我们再试一次。"
GIVE_UP = "没关系，可以改用身份证，或者请志愿者来帮忙。"
