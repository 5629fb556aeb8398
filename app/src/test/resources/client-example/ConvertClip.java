import io.animegan.client.AnimeganClient;
import io.animegan.client.VideoOptions;
import io.animegan.client.VideoStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Converts one clip with nothing but the client jar on the class path, awaiting it over the clip's
 * event stream: run by ClientJarIT as {@code java -cp animegan-client.jar ConvertClip.java <url>
 * <clip> <style> <out>}.
 */
public class ConvertClip {

    public static void main(String[] args) throws Exception {
        AnimeganClient client = new AnimeganClient(args[0], System.getenv("ANIMEGAN_API_TOKEN"));
        AnimeganClient.Video video =
                client.submitVideo(Path.of(args[1]), VideoOptions.defaults().withStyle(args[2]));
        VideoStatus status = client.awaitVideo(video.id(), Duration.ofMinutes(5));
        if (!status.status().equals("done")) {
            throw new IllegalStateException("not converted: " + status.json());
        }
        Path out = client.downloadVideo(video.id(), Path.of(args[3]));
        System.out.println(video.id() + " " + status.status() + " " + status.framesDone() + " frames "
                + Files.size(out) + " bytes");
    }
}
