/** `npm start`: synthesize every environment and print what each stack deploys. */
import { renderSummary, synthAll } from "./synth-summary";

synthAll()
  .then((s) => {
    console.log(renderSummary(s));
    console.log("Synthesized into cdktf.out/ (validate with: node ../shared/tools/check-tf-schema.mjs cdktf.out).");
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
