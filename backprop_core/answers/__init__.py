"""The expected answers of the notebooks' exercises, one module per notebook (nb04.py, ...).

Each module holds EXERCISES = {"name": Exercise(label, compute, tol)}; `compute` builds the
answer with the core from the posts' examples when the student's answer is checked, so no
exercise cell carries a number a student could print. `bp.exercises.check("04.name", answer)`.
"""
