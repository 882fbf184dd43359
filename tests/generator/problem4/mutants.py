"""Realistic bugs in the code behind Problem 4's claims; each must make the build refuse a claim.

Each entry targets a function that some claim names as its source (or that such a function calls).
"""

MODIFIED = "generator/problem4/modified.py"
FLOWS = "generator/problem4/flows.py"
ORBITS = "generator/problem4/orbits.py"
DESCENT = "generator/problem4/descent.py"
VALLEY = "generator/problem4/valley.py"
NONCONVEX = "generator/problem4/nonconvex.py"
FITS = "generator/problem4/fits.py"

MUTANTS = [
    {
        "id": "p4-gradient-drops-x",
        "file": MODIFIED,
        "find": "[slope[..., None], au[..., None] * setting.inputs, u[..., None], au[..., None]]",
        "replace": "[slope[..., None], np.repeat(au[..., None], setting.d, axis=-1), u[..., None], au[..., None]]",
        "description": "the factor x_i of dr_i/dw is forgotten (a u_i instead of a u_i x_i)",
        "sample": True,
    },
    {
        "id": "p4-gradient-half-penalty",
        "file": MODIFIED,
        "find": "gradient[..., A_INDEX] += 2.0 * setting.lam * a",
        "replace": "gradient[..., A_INDEX] += setting.lam * a",
        "description": "the derivative of lambda a^2 is taken as lambda a",
    },
    {
        "id": "p4-residual-target-sign",
        "file": MODIFIED,
        "find": "a[..., None] * u - setting.targets",
        "replace": "a[..., None] * u + setting.targets",
        "description": "the target is added to the prediction instead of subtracted in the residual",
    },
    {
        "id": "p4-hessian-spurious-x",
        "file": MODIFIED,
        "find": "hess_r[..., B_INDEX, B_INDEX] = au\n",
        "replace": "hess_r[..., B_INDEX, B_INDEX] = au * np.sum(x, axis=-1)\n",
        "description": "a spurious factor of the input in d^2 r_i / db^2 (copied from the (w, b) block)",
    },
    {
        "id": "p4-hessian-sum-over-data",
        "file": MODIFIED,
        "find": "hessian = 2.0 * np.mean(outer + residual[..., None, None] * hess_r, axis=-3)",
        "replace": "hessian = 2.0 * np.sum(outer + residual[..., None, None] * hess_r, axis=-3)",
        "description": "the Hessian sums over the data points instead of averaging (identical for m = 1)",
    },
    {
        "id": "p4-hessian-wa-block-extra-a",
        "file": MODIFIED,
        "find": "hess_r[..., w, A_INDEX] = u[..., None] * x",
        "replace": "hess_r[..., w, A_INDEX] = au[..., None] * x",
        "description": "d^2 r_i / dw da taken as a u_i x_i instead of u_i x_i",
    },
    {
        "id": "p4-flow-field-drops-x",
        "file": FLOWS,
        "find": "*(-grad_z * xi for xi in x)",
        "replace": "*(-grad_z for xi in x)",
        "description": "the fast flow field moves every component of w like b (the factor x is dropped)",
        "sample": True,
    },
    {
        "id": "p4-flow-field-theta-half",
        "file": FLOWS,
        "find": "velocity = [-3.0 * residual * (theta - 1.0) * (theta - 2.0),",
        "replace": "velocity = [-1.5 * residual * (theta - 1.0) * (theta - 2.0),",
        "description": "the fast flow field moves theta by r q'(theta), forgetting the 2 of the squared loss",
    },
    {
        "id": "p4-slice-flow-drops-kappa",
        "file": FLOWS,
        "find": "return [-2.0 * (residual * u + lam * a), -2.0 * kappa * residual * a * u]",
        "replace": "return [-2.0 * (residual * u + lam * a), -2.0 * residual * a * u]",
        "description": "the reduced (a, z) system forgets that z moves kappa times as fast as b",
    },
    {
        "id": "p4-limit-ratio-amplitude-sqrt",
        "file": FLOWS,
        "find": "math.sqrt(kappa * lam * t) * a",
        "replace": "math.sqrt(kappa * lam) * t * a",
        "description": "the amplitude ratio multiplies by t instead of sqrt(t)",
    },
    {
        "id": "p4-return-exponent-two-kappa",
        "file": FLOWS,
        "find": "return -curvature / (4 * kappa * value)",
        "replace": "return -curvature / (2 * kappa * value)",
        "description": "the heuristic exponent with 2 kappa instead of 4 kappa",
    },
    {
        "id": "p4-dissipation-sign",
        "file": FLOWS,
        "find": "np.abs(flow.loss + flow.dissipated - flow.loss[0])",
        "replace": "np.abs(flow.loss - flow.dissipated - flow.loss[0])",
        "description": "the dissipated energy is subtracted instead of added in the identity",
    },
    {
        "id": "p4-batch-field-theta-half",
        "file": ORBITS,
        "find": "derivative[:, THETA_INDEX] = -3.0 * residual",
        "replace": "derivative[:, THETA_INDEX] = -1.5 * residual",
        "description": "the batched flow field moves theta by r q'(theta), forgetting the 2 of the squared loss",
    },
    {
        "id": "p4-batch-half-a-square",
        "file": ORBITS,
        "find": "derivative[:, d + 3] = a * a",
        "replace": "derivative[:, d + 3] = 0.5 * a * a",
        "description": "the running integral of a^2 integrates a^2 / 2",
    },
    {
        "id": "p4-descent-drops-x",
        "file": DESCENT,
        "find": "w = [wi - step * grad_z * xi for wi, xi in zip(w, x)]",
        "replace": "w = [wi - step * grad_z for wi, xi in zip(w, x)]",
        "description": "gradient descent updates every component of w like b (the factor x is dropped)",
    },
    {
        "id": "p4-descent-floor-residual-not-squared",
        "file": DESCENT,
        "find": "floor = step * setting.lam * offset**2",
        "replace": "floor = step * setting.lam * offset",
        "description": "the stall level eta lambda r_f^2 written with r_f instead of r_f^2",
    },
    {
        "id": "p4-limit-ratio-escape-residual",
        "file": FLOWS,
        "find": "math.exp(2.0 * z) / (4.0 * kappa * lam * offset**2 * t)",
        "replace": "math.exp(2.0 * z) / (4.0 * kappa * lam * offset * t)",
        "description": "the limit of e^{2z}/t written with r_f instead of r_f^2",
    },
    {
        "id": "p4-valley-floor-sign",
        "file": VALLEY,
        "find": "return -offset * u / denominator, lam * offset**2 / denominator",
        "replace": "return offset * u / denominator, lam * offset**2 / denominator",
        "description": "the valley floor a*(z) with the wrong sign",
    },
    {
        "id": "p4-valley-family-kappa",
        "file": VALLEY,
        "find": "grad = 2.0 * math.sqrt(setting.kappa) * setting.lam",
        "replace": "grad = 2.0 * setting.kappa * setting.lam",
        "description": "the gradient norm on the valley family with kappa instead of sqrt(kappa)",
    },
    {
        "id": "p4-nonconvex-forgets-target",
        "file": NONCONVEX,
        "find": "return cubic_model(prediction - setting.y) ** 2 + setting.lam * a**2",
        "replace": "return cubic_model(prediction) ** 2 + setting.lam * a**2",
        "description": "the non-convex loss q(yhat)^2 instead of q(yhat - y)^2",
    },
    {
        "id": "p4-loglog-slope-swapped",
        "file": FITS,
        "find": "slope, _ = np.polyfit(np.log(t), np.log(values), 1)",
        "replace": "slope, _ = np.polyfit(np.log(values), np.log(t), 1)",
        "description": "the power-law fit regresses log t on log values",
    },
]
