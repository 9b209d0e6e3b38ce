// `npm test`: every UI test file, then one summary line `N passed, N failed`.
import { run } from "./harness.mjs";
import "./start.test.mjs";
import "./activities.test.mjs";
import "./editor.test.mjs";
import "./organisation.test.mjs";
import "./catalogs.test.mjs";
import "./reports.test.mjs";
import "./leave.test.mjs";
import "./breaches.test.mjs";
import "./processors.test.mjs";
import "./settings.test.mjs";
import "./recordings.test.mjs";

await run();
