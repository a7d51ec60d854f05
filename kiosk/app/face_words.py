"""What face check-in says to the villager: kind, short, and never blaming.

The actions' own words are ``COACHING`` in ``kiosk/identity/face/actions.py``; the failures are said
kindly by what went wrong (at most twice), and the last one offers the card and the volunteer.
"""

LOOK_HERE = "请看着屏幕，把脸放进椭圆框里。"
COME_CLOSER = "请再靠近一点。"
TO_THE_MIDDLE = "请把脸移到椭圆框中间。"
HOLD_STILL = "很好。请看着屏幕，先别动。"
RECOGNISED = "认出来了。"
# What went wrong (by LivenessFailure, or no match), then the next try's tip, or what she is offered.
NOT_RECOGNISED = "这次没有认出来。"
ACTION_NOT_SEEN = "刚才没看清您的动作。"
WRONG_ACTION = "刚才的动作和提示的不一样。"
FLASH_NOT_FOLLOWED = "刚才没看清您的脸。"
TRY_AGAIN = "没关系，再试一次。"
SLOWLY = "没关系，再试一次，请听提示慢慢做。"
ONLY_THAT_ACTION = "没关系，再试一次，请只做提示的动作。"
FACE_THE_SCREEN = "没关系，再试一次，请正对屏幕。"
GIVE_UP = "没关系，可以改用身份证，或者请志愿者帮忙。"
NO_FACE = "没看清您的脸。"
ASK_VOLUNTEER = "没关系，请志愿者来确认是您本人。"
