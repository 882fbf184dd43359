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
TOY = "generator/problem4/toy_model.py"
CLAIMS = "generator/problem4/claims.py"
FIGURES = "generator/problem4/figures.py"

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
    {
        "id": "p4-ball-radius-power-dim",
        "file": NONCONVEX,
        "find": "return radius * rng.uniform(size=(n_samples, 1)) ** (1.0 / dim) * directions",
        "replace": "return radius * rng.uniform(size=(n_samples, 1)) ** dim * directions",
        "description": "the radii of the uniform ball drawn as U^d instead of U^(1/d) (samples crowd the centre)",
    },
    {
        "id": "p4-sign-tolerance-global-max",
        "file": ORBITS,
        "find": "tolerance = 1e-6 * np.max(np.abs(residual), axis=0)",
        "replace": "tolerance = 1e-6 * np.max(np.abs(residual))",
        "description": "the sign-change tolerance from the largest residual over all flows instead of per flow",
    },
    {
        "id": "p4-hessian-ratio-max-over-points",
        "file": VALLEY,
        "find": "return float(np.min(eigenvalues[..., 0] / eigenvalues[..., -1]))",
        "replace": "return float(np.max(eigenvalues[..., 0] / eigenvalues[..., -1]))",
        "description": "the smallest eigenvalue ratio over the family taken with np.max over the points",
    },
    {
        "id": "p4-descent-theta-gradient-half",
        "file": DESCENT,
        "find": "grad_theta = 3.0 * residual * (theta - 1.0) * (theta - 2.0)",
        "replace": "grad_theta = 1.5 * residual * (theta - 1.0) * (theta - 2.0)",
        "description": "the theta-gradient of the constant-step descent without the factor 2 of the squared loss",
        "equivalent": "the descent starts at theta = BAD_MINIMUM = 2.0 exactly, so (theta - 2.0) = 0.0 and "
                      "grad_theta = 0.0 whatever its factor; theta stays 2.0 and every iterate, loss and claim is "
                      "bit-identical (tests/generator/problem4/test_descent.py catches it from another start)",
    },
    {
        "id": "p4-descent-statistics-first-half",
        "file": DESCENT,
        "find": "    late = slice(len(losses) // 2, None)\n    floor = step",
        "replace": "    late = slice(None, len(losses) // 2)\n    floor = step",
        "description": "the 'late-phase' medians of constant-step descent taken over the first half of the run",
    },
    {
        "id": "p4-descent-curvature-wrong-index",
        "file": DESCENT,
        "find": "curvature = step * modified_loss_hessian(np.asarray(params)[late], setting)[:, A_INDEX, A_INDEX]",
        "replace": "curvature = step * modified_loss_hessian(np.asarray(params)[late], setting)[:, A_INDEX, -1]",
        "description": "the curvature along a read at the (a, b) entry of the Hessian",
    },
    {
        "id": "p4-slow-flow-bias-on-a",
        "file": CLAIMS,
        "find": "start[[THETA_INDEX, B_INDEX]] = THETA_GOOD, SLOW_BIAS",
        "replace": "start[[THETA_INDEX, A_INDEX]] = THETA_GOOD, SLOW_BIAS",
        "description": "the large initial value of the slow good-basin flow put on a instead of b",
    },
    {
        "id": "p4-kappa-norm-unsquared",
        "file": TOY,
        "find": "return 1.0 + float(self.x @ self.x)",
        "replace": "return 1.0 + float(np.linalg.norm(self.x))",
        "description": "kappa = 1 + ||x|| instead of 1 + ||x||^2",
    },
    {
        "id": "p4-slice-jacobian-dropped-term",
        "file": FLOWS,
        "find": "        mixed = 2.0 * u * (a * u + residual)\n",
        "replace": "        mixed = 2.0 * u * residual\n",
        "description": "the mixed entry of the Jacobian of the slice flow without its a u term (it used to stall "
                       "the stiff integrators; slice_flow now checks its Jacobian first and falls back to the "
                       "integrators' own)",
    },
    {
        "id": "p4-descent-over-flow-linear-interp",
        "file": DESCENT,
        "find": "flow_loss = np.exp(np.interp(np.log(times[late]), np.log(flow.t[positive]), "
                "np.log(flow.loss[positive])))",
        "replace": "flow_loss = np.interp(times[late], flow.t[positive], flow.loss[positive])",
        "description": "the flow loss interpolated linearly in (t, L~) instead of (log t, log L~)",
    },
    {
        "id": "p4-fd-hessian-relative-to-min",
        "file": MODIFIED,
        "find": "hessian_error = np.linalg.norm(numeric_hessian - hessian, axis=(-2, -1)) / np.maximum(",
        "replace": "hessian_error = np.linalg.norm(numeric_hessian - hessian, axis=(-2, -1)) / np.minimum(",
        "description": "the Hessian error made relative to min(norm, 1) instead of max(norm, 1)",
    },
    {
        "id": "p4-orbit-basin-edge-second",
        "file": ORBITS,
        "find": "bad = theta[0] > MODEL_CRITICAL_POINTS[0]",
        "replace": "bad = theta[0] > MODEL_CRITICAL_POINTS[1]",
        "description": "the bad basin taken as (2, inf) instead of (1, inf) in the orbit statistics",
    },
    {
        "id": "p4-flow-bias-decade-index",
        "file": CLAIMS,
        "find": "decade = int(np.searchsorted(bad.t, T_END / 10.0))",
        "replace": "decade = int(np.searchsorted(bad.t, T_END / 100.0))",
        "description": "the 'last decade' of the bad flow starting two decades before the end",
    },
    # Attack round 2 (/work/notes/attack2/new_mutants_p4.py), adapted.
    {
        "id": "p4-orbit-amplitude-one-sided",
        "file": CLAIMS,
        "find": "rng.uniform(-amplitude, amplitude, n_starts)",
        "replace": "rng.uniform(0, amplitude, n_starts)",
        "description": "the initial a of the orbit experiment drawn from [0, A) instead of (-A, A) "
                       "(the text: a_0 uniform on [-A, A])",
    },
    {
        "id": "p4-ball-directions-not-normalised",
        "file": NONCONVEX,
        "find": "    directions /= np.linalg.norm(directions, axis=1, keepdims=True)\n",
        "replace": "",
        "description": "the Gaussian directions of the uniform ball not normalised to unit length",
    },
    {
        "id": "p4-flat-shift-on-a",
        "file": NONCONVEX,
        "find": "deltas[:, B_INDEX] += shift[:, -1]",
        "replace": "deltas[:, A_INDEX] += shift[:, -1]",
        "description": "the flat-direction check shifts a instead of b (index slip)",
    },
    {
        "id": "p4-sign-tolerance-initial-residual",
        "file": ORBITS,
        "find": "tolerance = 1e-6 * np.max(np.abs(residual), axis=0)",
        "replace": "tolerance = 1e-6 * np.abs(residual[0])",
        "description": "the sign-change tolerance of a flow scaled by its initial residual instead of its largest",
    },
    {
        "id": "p4-flow-rtol-loosened",
        "file": FLOWS,
        "find": "def gradient_flow(initial, t_eval, setting: ToySetting, *, rtol: float = 1e-10) -> FlowResult:",
        "replace": "def gradient_flow(initial, t_eval, setting: ToySetting, *, rtol: float = 1e-6) -> FlowResult:",
        "description": "the default relative tolerance of the gradient-flow integrator loosened to 1e-6 (for speed)",
    },
    {
        "id": "p4-figure-guide-sqrt-misplaced",
        "file": FIGURES,
        "find": "ax.loglog(t, 1.0 / (2.0 * np.sqrt(kappa * lam * t)), **guide)",
        "replace": "ax.loglog(t, 1.0 / (2.0 * np.sqrt(kappa * lam) * t), **guide)",
        "description": "the guide 1/(2 sqrt(kappa lambda t)) for |a| drawn as 1/(2 sqrt(kappa lambda) t)",
    },
    # Second hardening round: further bugs of the same kinds.
    {
        "id": "p4-figure-exp-z-not-2z",
        "file": FIGURES,
        "find": "np.exp(2.0 * bad.z[keep])",
        "replace": "np.exp(bad.z[keep])",
        "description": "the middle panel of the flow figure draws e^z where its label and caption say e^{2z}",
    },
    {
        "id": "p4-orbit-amplitude-gaussian",
        "file": CLAIMS,
        "find": "rng.uniform(-amplitude, amplitude, n_starts)",
        "replace": "amplitude * rng.standard_normal(n_starts)",
        "description": "the initial a of the orbit experiment Gaussian with standard deviation A instead of "
                       "uniform on [-A, A]",
    },
    {
        "id": "p4-flat-ball-dimension-d",
        "file": NONCONVEX,
        "find": "shift = _uniform_ball(rng, radius, n_samples, setting.d + 1)",
        "replace": "shift = _uniform_ball(rng, radius, n_samples, setting.d)",
        "description": "the (w, b) shifts of the flat-direction check drawn in a ball of dimension d instead of "
                       "d + 1 (numpy broadcasts the one remaining w column over both components of w)",
    },
]
