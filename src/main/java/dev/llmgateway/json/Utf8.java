package dev.llmgateway.json;

/** Checks bytes against UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing past U+10FFFF. */
final class Utf8 {

    private Utf8() {
    }

    static boolean valid(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            int codePoint;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
                min = 0x80;
                codePoint = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                min = 0x800;
                codePoint = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                min = 0x10000;
                codePoint = b & 0x07;
            } else {
                return false;
            }
            if (i + length > bytes.length) {
                return false;
            }
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return false;
            }
            i += length;
        }
        return true;
    }
}
