/** The part of qrcode's API the renderer uses (our own type, so no @types package reaches users). */
export interface QrCodeLib {
  /** The symbol with mixed modes and the smallest version; `modules` is the masked matrix. */
  create(
    text: string,
    options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H'; maskPattern: number },
  ): { modules: { size: number; data: Uint8Array; reservedBit: Uint8Array } };
}
