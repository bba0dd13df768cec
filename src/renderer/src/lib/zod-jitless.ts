import { z } from 'zod'

// zod probes `new Function` to compile fast parsers; under the console's CSP (no 'unsafe-eval') that probe
// is reported as a violation even though zod catches it. Imported first so the probe never runs.
z.config({ jitless: true })
