"""Page geometry shared by the document and the figures.

Figures are drawn at their final size, so the text width is one number used
both by ``templates/solutions.tex`` (through ``geometry``) and by
:mod:`generator.figstyle`.
"""

TEXT_WIDTH_IN = 6.1
"""Width of the text block in inches."""
