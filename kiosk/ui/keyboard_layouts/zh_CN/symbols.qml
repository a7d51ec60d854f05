// Digits and the few marks an address or a name takes (kiosk/ui/keyboard_layouts/zh_CN/main.qml's 数字
// key opens it, 拼音 goes back), sized as the letter keys are.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Components

KeyboardLayout {
    keyWeight: 100

    KeyboardRow {
        Key { text: "1" }
        Key { text: "2" }
        Key { text: "3" }
        Key { text: "4" }
        Key { text: "5" }
        Key { text: "6" }
        Key { text: "7" }
        Key { text: "8" }
        Key { text: "9" }
        Key { text: "0" }
    }
    KeyboardRow {
        Key { text: "－" }
        Key { text: "（" }
        Key { text: "）" }
        Key { text: "、" }
        Key { text: "：" }
        Key { text: "；" }
        Key { text: "？" }
        Key { text: "！" }
        Key { text: "·" }
        Key { text: "＃" }
    }
    KeyboardRow {
        Key { text: "《" }
        Key { text: "》" }
        Key { text: "“" }
        Key { text: "”" }
        Key { text: "…" }
        Key { text: "％" }
        Key { text: "＋" }
        BackspaceKey { weight: 300; displayText: "删除" }
    }
    KeyboardRow {
        SymbolModeKey { weight: 200; displayText: "拼音" }
        Key { key: Qt.Key_Comma; text: "，" }
        SpaceKey { weight: 400; displayText: "空格" }
        Key { key: Qt.Key_Period; text: "。" }
        ConfirmKey { weight: 200 }
    }
}
