/** The "Your name" form every visitor page opens with; resolves with the name once submitted. */
export function askVisitorName(form: HTMLFormElement): Promise<string> {
  form.querySelector('button')!.disabled = false;
  return new Promise((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      resolve(((new FormData(form).get('visitorName') as string | null) ?? '').trim() || 'Visitor');
      form.hidden = true;
    });
  });
}
