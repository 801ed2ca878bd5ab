"""Organisation: branches, teams, employees and their chat identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base

ROLES = ("employee", "manager", "hr", "admin")


class Branch(Base):
    __tablename__ = "branch"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    is_hq: Mapped[bool] = mapped_column(default=False)
    recognition_channel: Mapped[str | None] = mapped_column(String(100))
    # The language of its people who set none themselves (`zh_CN`); None: English.
    locale: Mapped[str | None] = mapped_column(String(16))


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", use_alter=True, name="fk_team_manager_id_employee")
    )
    recognition_channel: Mapped[str | None] = mapped_column(String(100))


class Employee(Base):
    __tablename__ = "employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # How cards name the person ("Yue" for Zhou Yue); None: the full name.
    display_name: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="employee")
    scorecard: Mapped[str | None] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Set when a platform says the person blocked the bot: notices go to HR instead.
    unreachable_since: Mapped[datetime | None]
    # `locale:` in the org file (`zh_CN`); None: their chat platform's, else the branch's.
    locale: Mapped[str | None] = mapped_column(String(16))
    # `mobile:` in the org file, E.164 (`+8613800138000`): links a chat account when no
    # e-mail matches; unique, so a number never links two people.
    mobile: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)


class ChatIdentity(Base):
    __tablename__ = "chat_identity"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(100))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    # Private chat to reach the person in (Telegram chat id, Slack DM channel).
    dm_channel: Mapped[str | None] = mapped_column(String(64))
    linked_at: Mapped[datetime]
    # The language the platform says the person uses (Slack `locale`, Telegram
    # `language_code`), as perfbot speaks it; None: it said none perfbot speaks.
    locale: Mapped[str | None] = mapped_column(String(16))
