/** Cipher contexts of the early-warning module's free text: a ciphertext moved to another column fails to decrypt. */
export const EARLY_WARNING_CIPHER = {
  place: 'early_warning.place',
  description: 'early_warning.description',
  historyNote: 'early_warning.historyNote',
  indicatorSource: 'indicator_value.source',
} as const;
