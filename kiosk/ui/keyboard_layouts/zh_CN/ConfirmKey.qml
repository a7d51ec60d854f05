// 确定 on the keyboard does what the screen's 确定 does: Pinyin still being typed gives its first
// character (Pinyin's own Enter would put the bare letters in the box), then the answer is given.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Components

EnterKey {
    displayText: "确定"
    noKeyEvent: true
    onClicked: {
        if (InputContext.preeditText.length > 0)
            InputContext.inputEngine.virtualKeyClick(Qt.Key_Space, " ", Qt.NoModifier)
        InputContext.inputEngine.virtualKeyClick(Qt.Key_Return, "\n", Qt.NoModifier)
    }
}
