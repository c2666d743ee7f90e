# The English interface keeps the Vietnamese administrative formats (dd/mm/yyyy, 1.000.000 đ).
from dichvucong.formats.vi.formats import *  # noqa: F403
