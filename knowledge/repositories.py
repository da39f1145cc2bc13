"""Every query of the référentiel. Parameterised SQL only (SQLAlchemy Core/ORM)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from knowledge import models as m


def territoires(session: Session) -> Sequence[m.Territoire]:
    return session.scalars(select(m.Territoire)).all()


def communes(session: Session) -> Sequence[m.Commune]:
    return session.scalars(select(m.Commune).order_by(m.Commune.insee)).all()


def qpvs(session: Session) -> Sequence[m.Qpv]:
    return session.scalars(select(m.Qpv).order_by(m.Qpv.code)).all()


def qpv_communes(session: Session) -> Sequence[m.QpvCommune]:
    return session.scalars(select(m.QpvCommune)).all()


def quartiers(session: Session) -> Sequence[m.Quartier]:
    return session.scalars(select(m.Quartier).order_by(m.Quartier.id)).all()


def latest_contact_campaign(session: Session, territoire_id: str) -> int | None:
    return session.scalar(select(func.max(m.Contact.campagne)).where(m.Contact.territoire_id == territoire_id))


def contact_campaigns(session: Session, territoire_id: str) -> list[int]:
    query = select(m.Contact.campagne).where(m.Contact.territoire_id == territoire_id).distinct()
    return sorted(session.scalars(query).all())


def contacts_in_commune(session: Session, territoire_id: str, campagne: int, insee: str) -> Sequence[m.Contact]:
    """Contacts of one commune's parts, plus the territory-wide ones (Région…)."""
    query = (
        select(m.Contact)
        .where(m.Contact.territoire_id == territoire_id, m.Contact.campagne == campagne)
        .where(or_(m.Contact.insee == insee, m.Contact.insee.is_(None)))
        .order_by(m.Contact.rang)
    )
    return session.scalars(query).all()


def contacts_by_role(session: Session, role: str, campagne: int | None = None) -> Sequence[m.Contact]:
    query = select(m.Contact).where(m.Contact.role == role)
    if campagne is not None:
        query = query.where(m.Contact.campagne == campagne)
    return session.scalars(query.order_by(m.Contact.campagne.desc(), m.Contact.rang)).all()


def all_contacts(session: Session) -> Sequence[m.Contact]:
    return session.scalars(select(m.Contact).order_by(m.Contact.campagne, m.Contact.rang)).all()


def mel_contacts(session: Session, campagne: int | None = None) -> Sequence[m.ContactMel]:
    query = select(m.ContactMel)
    if campagne is None:
        latest = select(func.max(m.ContactMel.campagne)).scalar_subquery()
        query = query.where(m.ContactMel.campagne == latest)
    else:
        query = query.where(m.ContactMel.campagne == campagne)
    return session.scalars(query.order_by(m.ContactMel.rang)).all()


def all_mel_contacts(session: Session) -> Sequence[m.ContactMel]:
    return session.scalars(select(m.ContactMel).order_by(m.ContactMel.campagne, m.ContactMel.rang)).all()


def campagnes(session: Session, territoire_id: str | None = None) -> Sequence[m.Campagne]:
    query = select(m.Campagne)
    if territoire_id is not None:
        query = query.where(m.Campagne.territoire_id == territoire_id)
    return session.scalars(query.order_by(m.Campagne.annee)).all()


def regles(session: Session, campagne_id: int) -> Sequence[m.Regle]:
    return session.scalars(select(m.Regle).where(m.Regle.campagne_id == campagne_id).order_by(m.Regle.id)).all()


def ambitions(session: Session) -> Sequence[m.Ambition]:
    return session.scalars(select(m.Ambition)).all()


def enjeux(session: Session) -> Sequence[m.Enjeu]:
    return session.scalars(select(m.Enjeu).order_by(m.Enjeu.id)).all()


def qpv_contours(session: Session) -> Sequence[m.QpvContour]:
    return session.scalars(select(m.QpvContour).order_by(m.QpvContour.code_qp)).all()


def limite_contours(session: Session) -> Sequence[m.LimiteContour]:
    return session.scalars(select(m.LimiteContour).order_by(m.LimiteContour.id)).all()


def documents(session: Session) -> Sequence[m.Document]:
    return session.scalars(select(m.Document).order_by(m.Document.id)).all()


def passages(session: Session) -> Sequence[m.Passage]:
    """Every passage of every document, in document order (the search builds its index from them)."""
    return session.scalars(select(m.Passage).order_by(m.Passage.document_id, m.Passage.rang)).all()


def passage_questions(session: Session) -> Sequence[m.PassageQuestion]:
    """The questions written from the passages (`passages_questions.csv`), in file order."""
    return session.scalars(select(m.PassageQuestion).order_by(m.PassageQuestion.id)).all()
