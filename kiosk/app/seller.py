"""卖农产品 knows its seller: the villager checked in (by card or face), or one a volunteer names.

A service asks for its seller with a text field whose source is ``seller``. The checked-in
villager's name answers it (the form does not ask it again) and the request says who they are, by
their ID number. Without a check-in, only staff in helper mode may type a seller's name (and, as
the form asks every seller, the phone) for them; anyone else is sent to check in first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.session import Person
    from kiosk.app.staff import Operator
    from kiosk.services.catalogue import Field, Service

SELLER_SOURCE = "seller"
NO_SELLER = "卖农产品要先登记卖家：请卖家刷身份证，或者请志愿者来填写卖家的姓名和电话。"


def seller_field(service: Service) -> Field | None:
    return next((f for f in service.fields if f.source == SELLER_SOURCE), None)


def given_answers(service: Service, person: Person | None) -> dict[str, object]:
    """The seller's name, when the seller is the villager checked in."""
    field = seller_field(service)
    return {field.id: person.name} if field is not None and person is not None else {}


def needs_checkin(service: Service, person: Person | None, operator: Operator | None) -> bool:
    """Nobody has said who sells: the seller checks in, or a volunteer signs in to name them."""
    return seller_field(service) is not None and person is None and operator is None
