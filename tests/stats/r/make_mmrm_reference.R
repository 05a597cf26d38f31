# Reference values for axspa.stats.mmrm: nlme::gls (REML), converged tightly, with emmeans, and Satterthwaite
# degrees of freedom from the exact Hessian of the REML log-likelihood.
#
# Run from this directory: Rscript make_mmrm_reference.R   (R 4.2.2, nlme 3.1-162, emmeans 1.8.4-1,
# numDeriv 2016.8-1.1). Writes mmrm_datasets.csv (the generated data, as analysed) and mmrm_reference_*.csv.
#
# Data: 36 generated trials (balanced, monotone dropout, intermittent missing visits; 2 to 6 visits; 20 to 400
# patients; 2 or 3 arms; with and without baseline; some with a categorical covariate). Each is fitted with an
# unstructured covariance; 6 also with compound symmetry and 6 with heterogeneous AR(1).
#
# How each reference is obtained:
# 1. gls(y ~ arm + week + base + arm:week + week:base, correlation = corSymm(form = ~ vi | id),
#    weights = varIdent(form = ~ 1 | week), method = "REML") with tightened controls (nlminb, tolerance 1e-12,
#    up to 1000 iterations). Its log-likelihood is kept as loglik_gls_tight: trap 1 of the spec is that even
#    so nlme stops short of the optimum (its optimiser uses finite-difference gradients), by up to about 1e-8
#    in the log-likelihood, which moves standard errors by about 1e-6 relative.
# 2. Polish: the REML log-likelihood is written out below in R (reml_loglik: patients grouped by pattern of
#    observed visits, whitened by the Cholesky factor of Sigma), as a function of the natural parameters
#    (the lower triangle of Sigma; (sigma^2, rho) for compound symmetry; (s_1..s_T, rho) for heterogeneous
#    AR(1)). Newton steps from the gls estimate with numDeriv's Richardson-extrapolated gradient and the
#    Hessian at the gls estimate, until the step is below 1e-9 relative (at most 8 steps).
# 3. gls is refitted with its covariance parameters fixed at the polished optimum (corSymm(fixed = TRUE),
#    varIdent(fixed = ...)): nlme itself then gives the REML log-likelihood, the coefficients and vcov, and
#    emmeans (on that fit, data = the rows analysed) the LS means per arm and visit and the differences
#    against the reference arm (trt.vs.ctrl) with their standard errors and linear functions.
# 4. Satterthwaite degrees of freedom (trap 2: emmeans' value for gls rests on nlme's approximate covariance
#    of the variance parameters): for each LS mean or difference with linear function c (from emmeans),
#    v(theta) = c' (X' V(theta)^-1 X)^-1 c; df = 2 v^2 / (g' A g) with g = numDeriv::jacobian(v, theta) and
#    A = solve(-H), H = numDeriv::hessian(reml_loglik, theta) at the optimum: the exact observed Hessian of the
#    REML log-likelihood (Richardson extrapolation from relative steps 0.01, halved 6 times; numDeriv's
#    default first step, 0.1, can leave the positive definite cone). emmeans' own Satterthwaite df (mode =
#    "satterthwaite", from the tight gls fit of step 1) are written beside it for comparison (df_emmeans), for
#    the trials with at most 250 observations (nlme's apVar, which they need, takes minutes on larger ones).

suppressPackageStartupMessages({
  library(nlme)
  library(emmeans)
  library(numDeriv)
})
emm_options(msg.interaction = FALSE, msg.nesting = FALSE)
set.seed(20261126)

weeks_all <- c(2, 4, 8, 12, 16, 24)

make_data <- function(n, t, missing, arms, baseline, region) {
  wk <- weeks_all[seq_len(t)]
  sds <- seq(0.9, 1.8, length.out = t) * runif(1, 0.7, 1.5)
  r <- 0.3 + 0.5 * runif(1)
  corr <- r^abs(outer(seq_len(t), seq_len(t), "-")) * 0.8 + 0.2
  a <- matrix(rnorm(t * t, sd = 0.08), t)
  corr <- cov2cor(corr + crossprod(a))
  sig <- diag(sds) %*% corr %*% diag(sds)
  arm_names <- c("placebo", "drugA", "drugB")[seq_len(arms)]
  arm <- sample(rep(arm_names, length.out = n))
  base <- round(rnorm(n, 6, 1.2), 1)
  reg <- sample(c("EU", "US", "AP"), n, replace = TRUE)
  e <- matrix(rnorm(n * t), n) %*% chol(sig)
  eff <- outer(match(arm, arm_names) - 1, seq_len(t) / t) * -0.8
  y <- -1 + eff + e - 0.25 * (base - 6) %o% (1 + seq_len(t) / t) + 0.3 * (reg == "EU")
  obs <- matrix(TRUE, n, t)
  if (missing == "monotone") {
    drop <- runif(n) < 0.25
    last <- sample.int(t - 1, n, replace = TRUE)
    for (i in which(drop)) obs[i, (last[i] + 1):t] <- FALSE
  } else if (missing == "intermittent") {
    obs[, -1] <- matrix(runif(n * (t - 1)) > 0.18, n)
    obs[cbind(seq_len(n), sample.int(t, n, replace = TRUE))] <- TRUE
  }
  d <- data.frame(
    id = sprintf("P%03d", rep(seq_len(n), each = t)), week = rep(wk, n), arm = rep(arm, each = t),
    base = rep(base, each = t), region = rep(reg, each = t), y = round(as.vector(t(y)), 4)
  )
  d <- d[as.vector(t(obs)), ]
  if (!baseline) d$base <- NA
  if (!region) d$region <- NA
  d
}

# The generated trials: (n, visits, missingness, arms, baseline, region)
grid <- rbind(
  data.frame(n = c(20, 40, 60, 100, 150, 200, 300, 400), t = c(2, 3, 4, 5, 6, 4, 3, 6), missing = "balanced"),
  data.frame(n = c(30, 50, 80, 120, 160, 240, 300, 400, 60, 90), t = c(3, 4, 5, 6, 2, 4, 6, 5, 6, 3),
             missing = "monotone"),
  data.frame(n = c(25, 40, 70, 110, 150, 220, 300, 400, 80, 130), t = c(2, 3, 4, 5, 6, 3, 6, 4, 5, 6),
             missing = "intermittent"),
  data.frame(n = c(90, 150, 240, 60, 120, 180, 300, 100), t = c(4, 5, 3, 6, 6, 4, 5, 3),
             missing = c("balanced", "monotone", "intermittent", "monotone", "intermittent", "balanced",
                         "monotone", "intermittent"))
)
grid$arms <- ifelse(seq_len(nrow(grid)) %% 5 == 0, 3, 2)
grid$baseline <- seq_len(nrow(grid)) %% 7 != 3
grid$region <- seq_len(nrow(grid)) %% 4 == 1
grid$dataset <- seq_len(nrow(grid))
structures <- ifelse(grid$dataset %in% c(2, 9, 14, 21, 27, 33), "compound_symmetry",
                     ifelse(grid$dataset %in% c(4, 11, 17, 24, 30, 35), "heterogeneous_ar1", NA))

formula_for <- function(g) {
  rhs <- c("arm", "week", if (g$baseline) "base", if (g$region) "region", "arm:week", if (g$baseline) "week:base")
  as.formula(paste("y ~", paste(rhs, collapse = " + ")))
}

# --- the REML log-likelihood written out (independent of nlme) -------------------------------------------------
prepare <- function(d, fml) {
  X <- model.matrix(fml, d)
  vi <- as.integer(d$week)
  pats <- tapply(vi, d$id, function(v) paste(sort(v), collapse = ","))
  groups <- split(names(pats), pats)
  lapply(groups, function(ids) {
    rows <- which(d$id %in% ids)
    rows <- rows[order(match(d$id[rows], ids), vi[rows])]
    list(vis = sort(unique(vi[rows])), n = length(ids), X = X[rows, , drop = FALSE], y = d$y[rows])
  }) -> parts
  list(parts = parts, N = nrow(X), p = ncol(X))
}

reml_pieces <- function(sig, prep) {
  p <- prep$p
  M <- matrix(0, p, p); b <- numeric(p); ywy <- 0; ld <- 0
  for (g in prep$parts) {
    s <- length(g$vis)
    u <- chol(sig[g$vis, g$vis, drop = FALSE])
    xs <- array(g$X, c(s, g$n, p))
    zx <- matrix(backsolve(u, matrix(xs, s), transpose = TRUE), s * g$n, p)
    zy <- as.vector(backsolve(u, matrix(g$y, s), transpose = TRUE))
    M <- M + crossprod(zx); b <- b + as.vector(crossprod(zx, zy)); ywy <- ywy + sum(zy^2)
    ld <- ld + g$n * 2 * sum(log(diag(u)))
  }
  list(M = M, b = b, ywy = ywy, ld = ld)
}

reml_loglik <- function(sig, prep) {
  if (any(!is.finite(sig))) return(-Inf)
  ev <- eigen(sig, symmetric = TRUE, only.values = TRUE)$values
  if (min(ev) <= 0) return(-Inf)
  q <- reml_pieces(sig, prep)
  beta <- solve(q$M, q$b)
  -0.5 * ((prep$N - prep$p) * log(2 * pi) + q$ld + as.numeric(determinant(q$M)$modulus) + q$ywy - sum(q$b * beta))
}

sigma_of <- function(theta, structure, t) {
  if (structure == "unstructured") {
    s <- matrix(0, t, t); s[lower.tri(s, diag = TRUE)] <- theta
    s + t(s) - diag(diag(s), t)
  } else if (structure == "compound_symmetry") {
    theta[1] * ((1 - theta[2]) * diag(t) + theta[2])
  } else {
    sd <- theta[seq_len(t)]
    outer(sd, sd) * theta[t + 1]^abs(outer(seq_len(t), seq_len(t), "-"))
  }
}

theta_of <- function(sig, structure, t) {
  if (structure == "unstructured") return(sig[lower.tri(sig, diag = TRUE)])
  if (structure == "compound_symmetry") return(c(sig[1, 1], sig[2, 1] / sig[1, 1]))
  sd <- sqrt(diag(sig))
  c(sd, sig[2, 1] / (sd[1] * sd[2]))
}

# --- gls -------------------------------------------------------------------------------------------------------
fit_gls <- function(d, fml, structure, t, fixed_sigma = NULL, ap_var = FALSE) {
  ctl <- glsControl(tolerance = 1e-12, msMaxIter = 1000, maxIter = 1000, apVar = ap_var)
  lv <- levels(d$week)
  if (is.null(fixed_sigma)) {
    cor <- switch(structure,
      unstructured = corSymm(form = ~ vi | id),
      compound_symmetry = corCompSymm(form = ~ 1 | id),
      heterogeneous_ar1 = corAR1(form = ~ vi | id))
    w <- if (structure == "compound_symmetry") NULL else varIdent(form = ~ 1 | week)
  } else {
    sd <- sqrt(diag(fixed_sigma)); cr <- cov2cor(fixed_sigma)
    cor <- switch(structure,
      unstructured = corSymm(value = cr[lower.tri(cr)], form = ~ vi | id, fixed = TRUE),
      compound_symmetry = corCompSymm(value = cr[2, 1], form = ~ 1 | id, fixed = TRUE),
      heterogeneous_ar1 = corAR1(value = cr[2, 1], form = ~ vi | id, fixed = TRUE))
    ratios <- setNames(sd[-1] / sd[1], lv[-1])
    w <- if (structure == "compound_symmetry") NULL else varIdent(form = ~ 1 | week, fixed = ratios)
  }
  assign("d_fit", d, envir = globalenv())
  eval(bquote(gls(.(fml), data = d_fit, correlation = .(cor), weights = .(w), method = "REML", control = .(ctl))))
}

sigma_from_gls <- function(fit, structure, t) {
  lv <- levels(d_fit$week)
  cs <- fit$modelStruct$corStruct
  cr <- diag(t)
  if (structure == "unstructured") {
    cr[lower.tri(cr)] <- coef(cs, unconstrained = FALSE); cr <- cr + t(cr) - diag(t)
  } else if (structure == "compound_symmetry") {
    cr[] <- coef(cs, unconstrained = FALSE); diag(cr) <- 1
  } else {
    cr <- coef(cs, unconstrained = FALSE)^abs(outer(seq_len(t), seq_len(t), "-"))
  }
  ratio <- if (structure == "compound_symmetry") rep(1, t) else
    coef(fit$modelStruct$varStruct, unconstrained = FALSE, allCoef = TRUE)[lv]
  sd <- fit$sigma * ratio
  outer(sd, sd) * cr
}

polish <- function(theta, ll) {
  h <- hessian(ll, theta, method.args = list(d = 0.01, r = 6))
  for (it in 1:8) {
    step <- -solve(h, grad(ll, theta, method.args = list(r = 6)))
    theta <- theta + step
    if (max(abs(step) / pmax(1, abs(theta))) < 1e-9) break
  }
  list(theta = theta, iterations = it, max_abs_gradient = max(abs(grad(ll, theta, method.args = list(r = 6)))))
}

out_fit <- list(); out_coef <- list(); out_ls <- list(); out_diff <- list(); out_sig <- list(); out_data <- list()
only <- as.integer(Sys.getenv("MMRM_ONLY", "0"))
for (k in if (only > 0) only else seq_len(nrow(grid))) {
  g <- grid[k, ]
  repeat {
    d <- make_data(g$n, g$t, g$missing, g$arms, g$baseline, g$region)
    cells <- table(d$arm, d$week)
    if (min(cells) >= 3) break
  }
  d$dataset <- g$dataset
  out_data[[k]] <- d[, c("dataset", "id", "week", "arm", "base", "region", "y")]
  d$week <- factor(d$week)
  d$arm <- factor(d$arm, levels = c("placebo", "drugA", "drugB")[seq_len(g$arms)])
  d$vi <- as.integer(d$week)
  if (!g$baseline) d$base <- NULL
  if (!g$region) d$region <- NULL
  fml <- formula_for(g)
  prep <- prepare(d, fml)
  for (structure in c("unstructured", if (!is.na(structures[k])) structures[k])) {
    t <- g$t
    small <- nrow(d) <= 250  # emmeans' df for gls need nlme's apVar: minutes for the larger trials
    tight <- fit_gls(d, fml, structure, t, ap_var = small)
    emm_tight <- if (!small) NULL else
      tryCatch(emmeans(tight, ~ arm | week, data = d, mode = "satterthwaite"), error = function(e) NULL)
    sig0 <- sigma_from_gls(tight, structure, t)
    ll <- function(th) reml_loglik(sigma_of(th, structure, t), prep)
    pol <- polish(theta_of(sig0, structure, t), ll)
    sig <- sigma_of(pol$theta, structure, t)
    fit <- fit_gls(d, fml, structure, t, fixed_sigma = sig)
    hess <- hessian(ll, pol$theta, method.args = list(d = 0.01, r = 6))
    a_theta <- solve(-hess)
    emm <- emmeans(fit, ~ arm | week, data = d, mode = "df.error")
    con <- contrast(emm, "trt.vs.ctrl", ref = 1)
    sat_df <- function(lf) {
      v <- function(th) { q <- reml_pieces(sigma_of(th, structure, t), prep); rowSums(lf * t(solve(q$M, t(lf)))) }
      gv <- jacobian(v, pol$theta, method.args = list(r = 6))
      2 * v(pol$theta)^2 / rowSums((gv %*% a_theta) * gv)
    }
    key <- data.frame(dataset = g$dataset, structure = structure)
    s_ls <- as.data.frame(summary(emm)); s_c <- as.data.frame(summary(con))
    sat_tight <- if (is.null(emm_tight)) NA else as.data.frame(summary(emm_tight))$df
    sat_tight_c <- if (is.null(emm_tight)) NA else
      as.data.frame(summary(contrast(emm_tight, "trt.vs.ctrl", ref = 1)))$df
    out_ls[[length(out_ls) + 1]] <- cbind(key, arm = as.character(s_ls$arm), week = as.character(s_ls$week),
      estimate = s_ls$emmean, se = s_ls$SE, df = sat_df(emm@linfct), df_emmeans = sat_tight)
    out_diff[[length(out_diff) + 1]] <- cbind(key, contrast = as.character(s_c$contrast),
      week = as.character(s_c$week), estimate = s_c$estimate, se = s_c$SE, df = sat_df(con@linfct),
      df_emmeans = sat_tight_c)
    out_coef[[length(out_coef) + 1]] <- cbind(key, term = names(coef(fit)), estimate = unname(coef(fit)),
      se = unname(sqrt(diag(vcov(fit)))))
    idx <- which(lower.tri(sig, diag = TRUE), arr.ind = TRUE)
    out_sig[[length(out_sig) + 1]] <- cbind(key, row = idx[, 1], col = idx[, 2], value = sig[idx])
    out_fit[[length(out_fit) + 1]] <- cbind(key, n = g$n, visits = g$t, missing = g$missing, arms = g$arms,
      baseline = g$baseline, region = g$region, n_obs = nrow(d),
      loglik = as.numeric(logLik(fit)), loglik_polished_r = ll(pol$theta),
      loglik_gls_tight = as.numeric(logLik(tight)), polish_iterations = pol$iterations,
      polish_max_abs_gradient = pol$max_abs_gradient)
    cat(sprintf("dataset %2d %-18s n=%3d t=%d %-12s gls short by %.2e\n", g$dataset, structure, g$n, g$t,
                g$missing, ll(pol$theta) - as.numeric(logLik(tight))))
  }
}

write.csv(do.call(rbind, out_data), "mmrm_datasets.csv", row.names = FALSE)
options(digits = 17)
tables <- list(fits = out_fit, coef = out_coef, lsmeans = out_ls, differences = out_diff, sigma = out_sig)
for (name in names(tables)) {
  write.csv(do.call(rbind, tables[[name]]), sprintf("mmrm_reference_%s.csv", name), row.names = FALSE)
}
