// The villager's Pinyin keys (kiosk/ui/keyboard.qml sets Qt Virtual Keyboard's layout path here): the
// letters, and 删除, 数字, 空格 and 确定 wide with their names on them, where the stock layout has small
// keys marked ⌫, &123 and ↵ and an apostrophe key she would never need. Each row is ten letters wide.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Components

KeyboardLayout {
    function createInputMethod() {
        return Qt.createQmlObject("import QtQuick; import QtQuick.VirtualKeyboard.Plugins; PinyinInputMethod {}",
                                  parent, "inputMethod.qml")
    }
    sharedLayouts: ["symbols"]
    keyWeight: 100

    KeyboardRow {
        Key { text: "q" }
        Key { text: "w" }
        Key { text: "e" }
        Key { text: "r" }
        Key { text: "t" }
        Key { text: "y" }
        Key { text: "u" }
        Key { text: "i" }
        Key { text: "o" }
        Key { text: "p" }
    }
    KeyboardRow {
        FillerKey { weight: 50 }
        Key { text: "a" }
        Key { text: "s" }
        Key { text: "d" }
        Key { text: "f" }
        Key { text: "g" }
        Key { text: "h" }
        Key { text: "j" }
        Key { text: "k" }
        Key { text: "l" }
        FillerKey { weight: 50 }
    }
    KeyboardRow {
        Key { text: "z" }
        Key { text: "x" }
        Key { text: "c" }
        Key { text: "v" }
        Key { text: "b" }
        Key { text: "n" }
        Key { text: "m" }
        BackspaceKey { weight: 300; displayText: "删除" }
    }
    KeyboardRow {
        SymbolModeKey { weight: 200; displayText: "数字" }
        Key { key: Qt.Key_Comma; text: "，" }
        SpaceKey { weight: 400; displayText: "空格" }
        Key { key: Qt.Key_Period; text: "。" }
        ConfirmKey { weight: 200 }
    }
}
