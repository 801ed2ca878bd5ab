"""Every table of perfbot, on one declarative base."""

from store.models.base import Base
from store.models.infra import (
    AuditEvent,
    LinkCode,
    Outbox,
    ProcessedEvent,
    SyncCheckpoint,
    SyncSeen,
)
from store.models.org import Branch, ChatIdentity, Employee, Team
from store.models.performance import (
    Calibration,
    FigureCorrection,
    Goal,
    GoalUpdateLog,
    IncentiveFlag,
    KpiAdjustment,
    ManagerRating,
    MetricFact,
    Period,
    Score,
    ScoreLine,
    SelfAssessment,
    UnmatchedRecord,
)
from store.models.schedule import JobRun, NudgeState, SchedulerLeader
from store.models.social import Appeal, Praise

__all__ = [
    "Appeal",
    "AuditEvent",
    "Base",
    "Branch",
    "Calibration",
    "ChatIdentity",
    "Employee",
    "FigureCorrection",
    "Goal",
    "GoalUpdateLog",
    "IncentiveFlag",
    "JobRun",
    "KpiAdjustment",
    "LinkCode",
    "ManagerRating",
    "MetricFact",
    "NudgeState",
    "Outbox",
    "Period",
    "Praise",
    "ProcessedEvent",
    "SchedulerLeader",
    "Score",
    "ScoreLine",
    "SelfAssessment",
    "SyncCheckpoint",
    "SyncSeen",
    "Team",
    "UnmatchedRecord",
]
