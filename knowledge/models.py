"""SQLAlchemy 2 models of the référentiel.

Natural keys (INSEE code, QPV code, contract id) are the primary keys, so the
loader can rebuild the database from `knowledge/data/` with the same keys every
time. Every row keeps its `source` (file and section) so an answer can cite it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Territoire(Base):
    """A contrat de ville of the Nord (MEL, Hazebrouck, the others)."""

    __tablename__ = "territoire"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    porteur: Mapped[str] = mapped_column(String(200), default="")
    siren_epci: Mapped[str] = mapped_column(String(9), default="")
    date_signature: Mapped[date | None] = mapped_column(Date, nullable=True)
    couvert: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))


class Commune(Base):
    __tablename__ = "commune"

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    nom: Mapped[str] = mapped_column(String(120))
    aliases: Mapped[str] = mapped_column(Text, default="")
    territoire_id: Mapped[str] = mapped_column(ForeignKey("territoire.id"))
    associee_de: Mapped[str | None] = mapped_column(ForeignKey("commune.insee"), nullable=True)
    appel_2025: Mapped[bool] = mapped_column(Boolean, default=False)
    appel_2026: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))

    territoire: Mapped[Territoire] = relationship()


class Qpv(Base):
    __tablename__ = "qpv"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    nom_officiel: Mapped[str] = mapped_column(String(200))
    nom_appel: Mapped[str] = mapped_column(String(200))
    territoire_id: Mapped[str] = mapped_column(ForeignKey("territoire.id"))
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)
    npnru: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    aliases: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))


class QpvCommune(Base):
    __tablename__ = "qpv_commune"

    code_qp: Mapped[str] = mapped_column(ForeignKey("qpv.code"), primary_key=True)
    insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), primary_key=True)
    source: Mapped[str] = mapped_column(String(300))


class Quartier(Base):
    """A neighbourhood as people name it (Wazemmes, Lille-Sud, Triolo…)."""

    __tablename__ = "quartier"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    nom: Mapped[str] = mapped_column(String(120))
    aliases: Mapped[str] = mapped_column(Text, default="")
    commune_insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"))
    code_qp: Mapped[str] = mapped_column(ForeignKey("qpv.code"))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))


class Campagne(Base):
    __tablename__ = "campagne"
    __table_args__ = (UniqueConstraint("territoire_id", "annee"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    territoire_id: Mapped[str] = mapped_column(ForeignKey("territoire.id"))
    annee: Mapped[int | None] = mapped_column(Integer, nullable=True)
    intitule: Mapped[str] = mapped_column(Text, default="")
    date_limite: Mapped[date | None] = mapped_column(Date, nullable=True)
    resultats: Mapped[str] = mapped_column(Text, default="")
    plateforme: Mapped[str] = mapped_column(String(300), default="")
    plateforme_nom: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(300))


class Regle(Base):
    """A condition or rule of a call for projects (SIRET, bilan, budget…)."""

    __tablename__ = "regle"
    __table_args__ = (UniqueConstraint("campagne_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campagne_id: Mapped[int] = mapped_column(ForeignKey("campagne.id"))
    code: Mapped[str] = mapped_column(String(60))
    texte: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))


class Contact(Base):
    """A local contact (or a vacant post) of one campaign, with its scope."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rang: Mapped[int] = mapped_column(Integer)  # row order in the source file
    campagne: Mapped[int] = mapped_column(Integer, index=True)
    territoire_id: Mapped[str] = mapped_column(ForeignKey("territoire.id"))
    role: Mapped[str] = mapped_column(String(20))
    nom: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    telephone: Mapped[str] = mapped_column(String(40), default="")
    structure: Mapped[str] = mapped_column(String(200), default="")
    statut: Mapped[str] = mapped_column(String(10))
    insee: Mapped[str | None] = mapped_column(ForeignKey("commune.insee"), nullable=True)
    code_qp: Mapped[str | None] = mapped_column(ForeignKey("qpv.code"), nullable=True)
    quartier_id: Mapped[str | None] = mapped_column(ForeignKey("quartier.id"), nullable=True)
    email_douteux: Mapped[bool] = mapped_column(Boolean, default=False)
    email_confirme: Mapped[str] = mapped_column(String(200), default="")
    email_derive: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))


class ContactMel(Base):
    """A MEL thematic contact for projets métropolitains."""

    __tablename__ = "contact_mel"
    __table_args__ = (UniqueConstraint("campagne", "theme", "nom", "rang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rang: Mapped[int] = mapped_column(Integer)
    campagne: Mapped[int] = mapped_column(Integer, index=True)
    theme: Mapped[str] = mapped_column(String(120))
    themes_cles: Mapped[str] = mapped_column(Text, default="")
    nom: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    email_derive: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))


class Enjeu(Base):
    __tablename__ = "enjeu"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    libelle: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))


class Ambition(Base):
    __tablename__ = "ambition"

    id: Mapped[str] = mapped_column(String(5), primary_key=True)
    enjeu_id: Mapped[int] = mapped_column(ForeignKey("enjeu.id"))
    libelle: Mapped[str] = mapped_column(Text)
    texte: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))


ALL_TABLES = [
    Territoire, Commune, Qpv, QpvCommune, Quartier, Campagne, Regle, Contact, ContactMel, Enjeu, Ambition,
]
