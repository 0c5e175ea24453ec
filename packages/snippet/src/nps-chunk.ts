// spoor-nps.js: the NPS prompt, loaded by spoor.full.js from the collector only when a prompt is to be shown.
import { showNpsPrompt } from '@spoor/sdk/nps-prompt'

window.spoorNpsPrompt = (done) => void showNpsPrompt(done)
