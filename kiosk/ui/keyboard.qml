// The villager's on-screen keyboard: Qt Virtual Keyboard's Pinyin on the kiosk's own layout
// (keyboard_layouts/), every key and every character Pinyin offers drawn as a big key in the kiosk's font
// and colours. Sizes come from kiosk/ui/keyboard.py, in pixels worked out from the theme's millimetres.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles

InputPanel {
    id: panel

    property real rowHeight: 100       // a key with its gap; the characters Pinyin offers are one more row
    property real gap: 22              // between two keys
    property real letterPixels: 40
    property string family: ""
    property QtObject glyphs: null  // which characters the kiosk's font draws (kiosk/ui/keyboard.py)
    property color keyColour: "#0A3F7A"
    property color keyPressedColour: "#3A3A3A"
    property color textColour: "#FFFFFF"
    property color backgroundColour: "#E8E2D4"
    property color candidateColour: "#1B1B1B"
    property color candidateBackground: "#FFFFFF"
    property color outlineColour: "#1B1B1B"
    property real border: 2
    readonly property real keyboardHeight: 4 * rowHeight + gap
    readonly property real candidatesHeight: rowHeight

    // Letters as if their keys were tapped, through the keyboard's own input engine (examples, tests).
    function typeLetters(letters) {
        for (const letter of letters)
            InputContext.inputEngine.virtualKeyClick(letter.toUpperCase().charCodeAt(0), letter, Qt.NoModifier)
    }

    // The stock style keeps a fixed width to height ratio: this asks it for rows of ``row`` pixels instead.
    function fit(width, row, keyGap, letters) {
        rowHeight = row
        gap = keyGap
        letterPixels = letters
        keyboard.style.keyboardDesignHeight = keyboardHeight * keyboard.style.keyboardDesignWidth / width
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.layoutPath = Qt.resolvedUrl("keyboard_layouts")
        VirtualKeyboardSettings.activeLocales = ["zh_CN"]
        VirtualKeyboardSettings.locale = "zh_CN"
        VirtualKeyboardSettings.handwritingModeDisabled = true
        VirtualKeyboardSettings.visibleFunctionKeys = QtVirtualKeyboard.KeyboardFunctionKeys.None
        const style = keyboard.style
        style.keyboardBackground = background
        // The layout writes 删除, 数字, 空格 and 确定 on its wide keys: every key is drawn alike.
        for (const name of ["keyPanel", "backspaceKeyPanel", "enterKeyPanel", "spaceKeyPanel", "symbolKeyPanel"])
            style[name] = key
        style.selectionListHeight = Qt.binding(function() { return panel.candidatesHeight })
        style.selectionListDelegate = candidate
        style.selectionListBackground = background
        style.selectionListAdd = null  // the characters show at once, where they are tapped: no sliding in
        style.selectionListRemove = null
    }

    // A key's letters, centred on the key by the ink of an ideograph rather than by their line: the kiosk's
    // font leaves more room above a line than below, which on a short key sits the characters on its border.
    component Glyphs: Text {
        id: glyphs
        readonly property rect ink: metrics.tightBoundingRect
        anchors.horizontalCenter: parent.horizontalCenter
        y: (parent.height - ink.height) / 2 - (baselineOffset + ink.y)
        font.family: panel.family
        font.pixelSize: panel.letterPixels
        font.bold: true
        TextMetrics { id: metrics; font: glyphs.font; text: "国" }
    }

    Component {
        id: background
        Rectangle { color: panel.backgroundColour }
    }

    Component {
        id: key
        KeyPanel {
            id: face
            // Function keys (删除, 数字, 空格) outlined like the kiosk's navigation; letters and 确定 filled.
            readonly property bool outlined: face.control.functionKey || face.control.keyType === QtVirtualKeyboard.KeyType.SpaceKey
            readonly property bool down: face.control.pressed
            Rectangle {
                anchors.fill: parent
                anchors.margins: panel.gap / 2
                radius: panel.gap / 3
                color: face.down ? panel.keyPressedColour : face.outlined ? panel.candidateBackground : panel.keyColour
                border.width: face.outlined ? panel.border : 0
                border.color: panel.outlineColour
                opacity: face.control.enabled ? 1 : 0.4
                Glyphs {
                    text: face.control.displayText
                    color: face.outlined && !face.down ? panel.candidateColour : panel.textColour
                }
            }
        }
    }

    Component {
        id: candidate
        SelectionListItem {
            id: item
            // Pinyin also offers rare characters the kiosk's font has no picture of: those are left out.
            readonly property bool drawable: !panel.glyphs || panel.glyphs.drawable(display)
            visible: drawable
            // At least a letter key wide, so one character is as easy to hit as a key.
            width: drawable ? Math.max(label.implicitWidth + 2 * panel.gap, panel.rowHeight * 1.5) + panel.gap : 0
            Rectangle {
                anchors.fill: parent
                anchors.margins: panel.gap / 2
                radius: panel.gap / 3
                color: panel.candidateBackground
                border.width: panel.border
                border.color: panel.outlineColour
                Glyphs {
                    id: label
                    text: display
                    color: panel.candidateColour
                }
            }
        }
    }
}
