"""What face check-in says to the villager: kind, short, and never blaming.

The actions' own words are ``COACHING`` in ``kiosk/identity/face/actions.py``; the failures are said
kindly by what went wrong (at most twice), and the last one offers the card and the volunteer.
"""

from kiosk.voice.lines import phrase

LOOK_HERE = phrase("screen.face.look_here", "请看着屏幕，把脸放进椭圆框里。")
COME_CLOSER = phrase("screen.face.come_closer", "请再靠近一点。")
TO_THE_MIDDLE = phrase("screen.face.to_the_middle", "请把脸移到椭圆框中间。")
HOLD_STILL = phrase("screen.face.hold_still", "很好。请看着屏幕，先别动。")
RECOGNISED = phrase("screen.face.recognised", "认出来了。")
# What went wrong (by LivenessFailure, or no match), then the next try's tip, or what she is offered.
NOT_RECOGNISED = phrase("screen.face.not_recognised", "这次没有认出来。")
ACTION_NOT_SEEN = phrase("screen.face.action_not_seen", "刚才没看清您的动作。")
WRONG_ACTION = phrase("screen.face.wrong_action", "刚才的动作和提示的不一样。")
FLASH_NOT_FOLLOWED = phrase("screen.face.flash_not_followed", "刚才没看清您的脸。")
TRY_AGAIN = phrase("screen.face.try_again", "没关系，再试一次。")
SLOWLY = phrase("screen.face.slowly", "没关系，再试一次，请听提示慢慢做。")
ONLY_THAT_ACTION = phrase("screen.face.only_that_action", "没关系，再试一次，请只做提示的动作。")
FACE_THE_SCREEN = phrase("screen.face.face_the_screen", "没关系，再试一次，请正对屏幕。")
GIVE_UP = phrase("screen.face.give_up", "没关系，可以改用身份证，或者请志愿者帮忙。")
NO_FACE = phrase("screen.face.no_face", "没看清您的脸。")
ASK_VOLUNTEER = phrase("screen.face.ask_volunteer", "没关系，请志愿者来确认是您本人。")
