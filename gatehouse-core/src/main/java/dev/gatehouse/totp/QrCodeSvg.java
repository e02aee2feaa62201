package dev.gatehouse.totp;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A QR code as an SVG data URI ({@code data:image/svg+xml;base64,...}), usable as an image's
 * {@code src}, as Flask-Security serves it. ZXing computes the modules; one path of unit squares
 * draws them, so the image scales without blur.
 */
final class QrCodeSvg {
    /** The quiet zone every QR reader expects: four modules (qrcode's default border too). */
    private static final int QUIET_ZONE = 4;
    /** Pixels per module for the nominal size; the viewBox lets it scale. */
    private static final int MODULE_PIXELS = 6;

    private QrCodeSvg() {
    }

    static String dataUri(String text) {
        String svg = svg(text);
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
    }

    static String svg(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, com.google.zxing.BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, QUIET_ZONE, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("text does not fit in a QR code", e);
        }
        int w = m.getWidth();
        int h = m.getHeight();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < h; y++) {
            int x = 0;
            while (x < w) {
                if (!m.get(x, y)) {
                    x++;
                    continue;
                }
                int run = 1;
                while (x + run < w && m.get(x + run, y)) {
                    run++;
                }
                path.append('M').append(x).append(' ').append(y).append('h').append(run).append("v1h-").append(run).append('z');
                x += run;
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w * MODULE_PIXELS + "\" height=\"" + h * MODULE_PIXELS
                + "\" viewBox=\"0 0 " + w + " " + h + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
