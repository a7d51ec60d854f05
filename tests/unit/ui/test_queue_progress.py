"""The volunteer's queue screen says how far the photos have got, from the queue's own counts."""

from kiosk.ui.screens.staff import QUEUE


def test_the_queue_screen_shows_the_current_photo_and_its_share(shell, store):
    for n in range(2):
        store.outbox.enqueue("pension_cert", {}, attachments={"face": bytes([n]) * 10_000})
    current = store.outbox.pending_attachments(2)[0].hash
    store.outbox.attachment_progress(current, 2_500)
    shell.staff.queue.show_queue(store.outbox.stats(), [])
    shell.navigator.open(QUEUE)
    assert shell.staff.queue.message.text() == "待发 2，已受理 0，被退回 0，照片 1/2，已传 25%"
    store.outbox.attachment_uploaded(current)
    shell.staff.queue.show_queue(store.outbox.stats(), [])
    assert shell.staff.queue.message.text().endswith("照片 2/2，已传 0%")
    store.outbox.attachment_uploaded(store.outbox.pending_attachments(1)[0].hash)
    shell.staff.queue.show_queue(store.outbox.stats(), [])
    assert shell.staff.queue.message.text() == "待发 2，已受理 0，被退回 0"
