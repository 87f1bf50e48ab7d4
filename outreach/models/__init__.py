"""The outreach app's records, one module per part of the work:

- `figures`: the register of non-party figures (党外人士), their public positions, and
  the sensitive part (affiliation, overseas history, opinions), kept in rows of their own
  so that no list or export reaches it except through `outreach.selectors.sensitive`.
- `pairs`: friendship pairs (联系交友) of a Party leading cadre with a figure; contacts
  and heart-to-heart talks.
- `suggestions`: suggestions raised by figures, assigned, answered and fed back.
- `learning`: reserve cadres and their training.
- `study`: study materials pushed and sessions held, with confirmations; the "五个一".
"""

# --- figures ---
from outreach.models.figures import Figure as Figure
from outreach.models.figures import OverseasRecord as OverseasRecord
from outreach.models.figures import PublicPosition as PublicPosition
from outreach.models.figures import SensitiveProfile as SensitiveProfile

# --- learning ---
from outreach.models.learning import ReserveCadre as ReserveCadre
from outreach.models.learning import TrainingRecord as TrainingRecord

# --- pairs ---
from outreach.models.pairs import Briefing as Briefing
from outreach.models.pairs import Contact as Contact
from outreach.models.pairs import FriendshipPair as FriendshipPair
from outreach.models.pairs import Talk as Talk

# --- study ---
from outreach.models.study import FiveOne as FiveOne
from outreach.models.study import StudyActivity as StudyActivity
from outreach.models.study import StudyParticipant as StudyParticipant

# --- suggestions ---
from outreach.models.suggestions import Suggestion as Suggestion
# (sections in alphabetical order: ruff's import sorting keeps them so)
