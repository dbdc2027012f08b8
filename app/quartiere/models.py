"""Stuttgart's 23 Stadtbezirke and 152 Stadtteile (reference data, loaded by a migration)."""

from sqlmodel import Field, SQLModel


class District(SQLModel, table=True):
    """A Stadtbezirk."""

    __tablename__ = "district"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    name: str = Field(max_length=80)
    slug: str = Field(max_length=80, unique=True)
    tile_col: int = 0
    tile_row: int = 0


class Quarter(SQLModel, table=True):
    """A Stadtteil."""

    __tablename__ = "quarter"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    name: str = Field(max_length=80)
    slug: str = Field(max_length=80, unique=True)
    district_id: int = Field(foreign_key="district.id", index=True)
