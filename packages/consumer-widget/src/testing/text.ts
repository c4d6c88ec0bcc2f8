/**
 * The visitor's widget's words that the walk finds its way by (button names, headings), per
 * locale, from packages/consumer-widget/xliff. Accessible names are what a tester selects by.
 */
export interface WidgetText {
  open: string;
  continue: string;
  send: string;
  sent: string;
  problem: string;
  review: string;
  more: string;
  close: string;
}

export const WIDGET_TEXT = {
  en: {
    open: 'Open secure form',
    continue: 'Continue',
    send: 'Send securely',
    sent: 'Sent securely',
    problem: 'There is a problem',
    review: 'Check your answers before sending',
    more: 'Give me more time',
    close: 'Close',
  },
  es: {
    open: 'Abrir formulario seguro',
    continue: 'Continuar',
    send: 'Enviar de forma segura',
    sent: 'Enviado de forma segura',
    problem: 'Hay un problema',
    review: 'Revise sus respuestas antes de enviarlas',
    more: 'Necesito más tiempo',
    close: 'Cerrar',
  },
  ar: {
    open: 'فتح النموذج الآمن',
    continue: 'متابعة',
    send: 'إرسال بأمان',
    sent: 'تم الإرسال بأمان',
    problem: 'توجد مشكلة',
    review: 'راجع إجاباتك قبل الإرسال',
    more: 'أحتاج إلى مزيد من الوقت',
    close: 'إغلاق',
  },
} as const satisfies Record<string, WidgetText>;

export type WidgetLang = keyof typeof WIDGET_TEXT;
