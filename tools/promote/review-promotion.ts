/**
 * The review a promotion prints: the target environment synthesized with its current pin and with the planned one
 * (from a temporary copy of the environments folder), diffed by the review tool. Runs before the pin is written, so
 * a pin that would not synthesize is refused with nothing written.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../infra/app";
import { writePin } from "../../infra/environments/pins";
import { loadStacks } from "../review/load-stack";
import type { TfJson } from "../review/model";
import { renderReview } from "../review/render-markdown";
import { reviewStacks } from "../review/review";
import type { PromotionPlan } from "./promote";

export interface PromotionReviewOptions {
  environmentsDir: string;
  artifactsDir: string;
}

function synth(env: string, environmentsDir: string, artifactsDir: string): Record<string, TfJson> {
  const outdir = mkdtempSync(join(tmpdir(), "promote-synth-"));
  try {
    buildApp({ outdir, environments: [env], environmentsDir, artifactsDir }).app.synth();
    return loadStacks(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function reviewPromotion(plan: PromotionPlan, opts: PromotionReviewOptions): string {
  let before: Record<string, TfJson> = {};
  let beforeNote = "";
  try {
    before = synth(plan.env, opts.environmentsDir, opts.artifactsDir);
  } catch (err) {
    // The first pin of staging/prod: there is no current configuration to compare with.
    beforeNote = ` The current pin does not synthesize (${(err as Error).message.replace(/\s*\n\s*/g, " ")}), so everything shows as new.`;
  }
  const planned = mkdtempSync(join(tmpdir(), "promote-envs-"));
  try {
    cpSync(opts.environmentsDir, planned, { recursive: true, filter: (src) => !src.endsWith(".ts") });
    writePin(plan.env, plan.after, planned);
    const after = synth(plan.env, planned, opts.artifactsDir);
    return renderReview({
      title: `Promotion review: ${plan.summary}`,
      context: [`Before: ${plan.env} as pinned now. After: ${plan.env} with the new pin.${beforeNote}`],
      stacks: reviewStacks(before, after),
    });
  } finally {
    rmSync(planned, { recursive: true, force: true });
  }
}
