"""SQLAlchemy 2 models of the référentiel.

Natural keys (INSEE code, QPV code, contract id) are the primary keys, so the
loader can rebuild the database from `knowledge/data/` with the same keys every
time. Every row keeps its `source` (file and section) so an answer can cite it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
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
    # « prevue » when the date is only the planned one of a calendar (press kit of March 2024),
    # « signee » when a later document says the contract was signed that day.
    date_signature_statut: Mapped[str] = mapped_column(String(10), default="")
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
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))

    territoire: Mapped[Territoire] = relationship()


class CommuneCampagne(Base):
    """A commune named in a call's list of communes (`campagnes` column of communes.csv)."""

    __tablename__ = "commune_campagne"

    insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), primary_key=True)
    annee: Mapped[int] = mapped_column(Integer, primary_key=True)


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
    # Structured values the services apply (thresholds, eligible kinds…), e.g. {"seuil": 15000}.
    valeurs: Mapped[dict] = mapped_column(JSON, default=dict)
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
    Territoire, Commune, CommuneCampagne, Qpv, QpvCommune, Quartier, Campagne, Regle, Contact, ContactMel, Enjeu,
    Ambition,
]


class QpvContour(Base):
    """The official contour of a QPV (GeoJSON geometry, WGS84) and its margin « à vérifier »."""

    __tablename__ = "qpv_contour"

    code_qp: Mapped[str] = mapped_column(ForeignKey("qpv.code"), primary_key=True)
    geojson: Mapped[str] = mapped_column(Text)
    marge_m: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))


class LimiteContour(Base):
    """An administrative outline used to say « hors du Nord » / « hors de France » (GeoJSON, WGS84)."""

    __tablename__ = "limite_contour"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    nom: Mapped[str] = mapped_column(String(120))
    geojson: Mapped[str] = mapped_column(Text)
    tolerance_m: Mapped[float] = mapped_column(Float)  # how far outside the outline is still « maybe inside »
    source: Mapped[str] = mapped_column(String(300))


ALL_TABLES += [QpvContour, LimiteContour]


class Document(Base):
    """An official document of `documents.csv` whose text is versioned under `knowledge/data/documents/`."""

    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)  # « appel-2026 »: the `document` of `extrait`
    fichier: Mapped[str] = mapped_column(String(120), unique=True)  # the seed's file name, cited in `source`
    titre: Mapped[str] = mapped_column(String(300))
    titre_court: Mapped[str] = mapped_column(String(200))  # what people read: « Appel à projets 2026 de la MEL »
    territoire: Mapped[str] = mapped_column(String(40))  # MEL | HAZEBROUCK | NORD
    portee: Mapped[str] = mapped_column(String(200))  # territories whose questions it answers, `|`-separated
    campagne: Mapped[int | None] = mapped_column(Integer, nullable=True)
    url: Mapped[str] = mapped_column(String(300))
    chemin: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))


class Passage(Base):
    """A paragraph, list or table rows of a document, with its section and line range."""

    __tablename__ = "passage"
    __table_args__ = (UniqueConstraint("document_id", "rang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    rang: Mapped[int] = mapped_column(Integer)  # order in the document
    section: Mapped[str] = mapped_column(Text)  # « Annexe 3 › Éléments d'analyse et d'évaluation du projet »
    titre: Mapped[str] = mapped_column(Text)  # human title for the citation
    ligne_debut: Mapped[int] = mapped_column(Integer)  # 1-based, in the versioned text
    ligne_fin: Mapped[int] = mapped_column(Integer)
    texte: Mapped[str] = mapped_column(Text)
    contexte: Mapped[str] = mapped_column(Text, default="")
    genre: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(300))

    document: Mapped[Document] = relationship()


class PassageQuestion(Base):
    """A question a passage answers, written from the passage (`passages_questions.csv`): the search matches
    a person's question against these too, so that a passage is found in the words people use."""

    __tablename__ = "passage_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    ligne_debut: Mapped[int] = mapped_column(Integer)  # the passage's line range in the versioned text
    ligne_fin: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    origine: Mapped[str] = mapped_column(String(200))


ALL_TABLES += [Document, Passage, PassageQuestion]


class ContactGeneral(Base):
    """A general contact of the MEL or the préfecture (press service, mailbox) that is not a local referent."""

    __tablename__ = "contact_general"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rang: Mapped[int] = mapped_column(Integer)
    portee: Mapped[str] = mapped_column(String(40))  # MEL | NORD
    role: Mapped[str] = mapped_column(String(20))  # mel | prefecture
    usage: Mapped[str] = mapped_column(String(40))  # presse | politique_de_la_ville
    nom: Mapped[str] = mapped_column(String(120), default="")
    fonction: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    telephone: Mapped[str] = mapped_column(String(80), default="")
    structure: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300))


class FaitContrat(Base):
    """A fact of a contract for its whole duration (watch zones, local strategies…), with its source."""

    __tablename__ = "fait_contrat"
    __table_args__ = (UniqueConstraint("territoire_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    territoire_id: Mapped[str] = mapped_column(ForeignKey("territoire.id"))
    code: Mapped[str] = mapped_column(String(60))
    texte: Mapped[str] = mapped_column(Text)
    valeurs: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(300))


ALL_TABLES += [ContactGeneral, FaitContrat]
