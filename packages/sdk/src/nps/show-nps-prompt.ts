/** The words of the NPS prompt, for sites in other languages. */
export interface NpsPromptText {
  /** The question (default "How likely are you to recommend us to a friend or colleague?"). */
  question?: string
  /** The label of the optional comment field (default "Anything you would like to tell us?"). */
  comment?: string
}

/**
 * Shows a small, accessible NPS prompt in the page's bottom corner: a labelled dialog with the eleven scores as
 * buttons (Tab and Enter or Space), an optional comment, Send, and Not now (also Escape). Calls `done(score,
 * comment)` when sent and `done()` when dismissed, then removes itself. It is the lazily loaded part of the NPS
 * feature (the snippet's `spoor-nps.js`); `promptNps` decides whether to show it.
 *
 * @example
 * showNpsPrompt((score, comment) => score == null ? console.log('dismissed') : nps(spoor, score, comment))
 */
export function showNpsPrompt(done: (score?: number, comment?: string) => void, text: NpsPromptText = {}): HTMLElement {
  const dialog = document.createElement('section')
  dialog.setAttribute('role', 'dialog')
  dialog.setAttribute('aria-labelledby', 'spoor-nps-question')
  dialog.style.cssText =
    'position:fixed;bottom:16px;right:16px;z-index:2147483647;max-width:min(30rem,calc(100vw - 32px));padding:16px;' +
    'background:#fff;color:#111;border:1px solid #888;border-radius:8px;box-shadow:0 4px 16px #0003;font:14px/1.4 system-ui,sans-serif'
  dialog.innerHTML =
    `<p id="spoor-nps-question" style="margin:0 0 8px;font-weight:600"></p>` +
    `<div role="group" aria-label="Score from 0, not at all likely, to 10, extremely likely" style="display:flex;flex-wrap:wrap;gap:4px"></div>` +
    `<label style="display:block;margin:8px 0"><span></span><textarea rows="2" style="display:block;width:100%;box-sizing:border-box"></textarea></label>` +
    `<button type="button" data-send disabled>Send</button> <button type="button" data-dismiss>Not now</button>`
  dialog.querySelector('p')!.textContent =
    text.question ?? 'How likely are you to recommend us to a friend or colleague?'
  dialog.querySelector('label span')!.textContent = text.comment ?? 'Anything you would like to tell us?'
  const scores = dialog.querySelector('div')!
  const send = dialog.querySelector<HTMLButtonElement>('[data-send]')!
  let score: number | undefined
  for (let value = 0; value <= 10; value++) {
    const button = document.createElement('button')
    button.type = 'button'
    button.textContent = String(value)
    button.setAttribute('aria-pressed', 'false')
    button.style.minWidth = '2.2em'
    button.onclick = () => {
      score = value
      for (const other of scores.children) other.setAttribute('aria-pressed', String(other == button))
      send.disabled = false
    }
    scores.append(button)
  }
  const close = (answered: boolean) => {
    dialog.remove()
    if (answered) done(score, dialog.querySelector('textarea')!.value.trim() || undefined)
    else done()
  }
  send.onclick = () => close(true)
  dialog.querySelector<HTMLButtonElement>('[data-dismiss]')!.onclick = () => close(false)
  dialog.addEventListener('keydown', (event) => event.key == 'Escape' && close(false))
  document.body.append(dialog)
  // Focus the first score, so keyboard users start inside the prompt.
  ;(scores.firstChild as HTMLElement).focus()
  return dialog
}
