// The villager's on-screen keyboard: Qt Virtual Keyboard's Pinyin, its letter keys and the characters
// it offers drawn large in the kiosk's own font and colours. Sizes come from kiosk/ui/keyboard.py, in
// pixels worked out from the theme's millimetres.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles

InputPanel {
    id: panel

    property real rowHeight: 100       // a key with its gap
    property real gap: 22              // between two keys
    property real largestLetterPixels: 40
    property real letterPixels: largestLetterPixels
    property real candidatePixels: 48
    property string family: ""
    property QtObject glyphs: null  // which characters the kiosk's font draws (kiosk/ui/keyboard.py)
    property color keyColour: "#0A3F7A"
    property color keyPressedColour: "#3A3A3A"
    property color textColour: "#FFFFFF"
    property color backgroundColour: "#E8E2D4"
    property color candidateColour: "#1B1B1B"
    readonly property real keyboardHeight: 4 * rowHeight + gap
    readonly property real candidatesHeight: candidatePixels * 1.6

    // Letters as if their keys were tapped, through the keyboard's own input engine (examples, tests).
    function typeLetters(letters) {
        for (const letter of letters)
            InputContext.inputEngine.virtualKeyClick(letter.toUpperCase().charCodeAt(0), letter, Qt.NoModifier)
    }

    // The stock style keeps a fixed width to height ratio: this asks it for rows of ``row`` pixels instead.
    function fit(width, row, keyGap, candidates) {
        rowHeight = row
        gap = keyGap
        candidatePixels = candidates
        letterPixels = Math.min(largestLetterPixels, Math.round((row - gap) * 0.6))  // a short panel's keys
        keyboard.style.keyboardDesignHeight = keyboardHeight * keyboard.style.keyboardDesignWidth / width
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN"]
        VirtualKeyboardSettings.locale = "zh_CN"
        VirtualKeyboardSettings.handwritingModeDisabled = true
        VirtualKeyboardSettings.visibleFunctionKeys = QtVirtualKeyboard.KeyboardFunctionKeys.None
        const style = keyboard.style
        style.keyboardBackground = background
        style.keyPanel = letterKey
        style.selectionListHeight = Qt.binding(function() { return panel.candidatesHeight })
        style.selectionListDelegate = candidate
        style.selectionListBackground = background
        style.selectionListAdd = null  // the characters show at once, where they are tapped: no sliding in
        style.selectionListRemove = null
    }

    Component {
        id: background
        Rectangle { color: panel.backgroundColour }
    }

    Component {
        id: letterKey
        KeyPanel {
            id: key
            Rectangle {
                anchors.fill: parent
                anchors.margins: panel.gap / 2
                radius: panel.gap / 3
                color: key.control && key.control.pressed ? panel.keyPressedColour : panel.keyColour
                Text {
                    anchors.centerIn: parent
                    text: key.control.displayText
                    color: panel.textColour
                    font.family: panel.family
                    font.pixelSize: panel.letterPixels
                    font.bold: true
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
            width: drawable ? label.implicitWidth + 2 * panel.gap : 0
            Text {
                id: label
                anchors.centerIn: parent
                text: display
                color: panel.candidateColour
                font.family: panel.family
                font.pixelSize: panel.candidatePixels
                font.bold: item.ListView.isCurrentItem
            }
        }
    }
}
