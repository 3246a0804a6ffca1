package org.quotaledger.operations;

import java.util.List;

import org.quotaledger.operations.DeadLetters.Letter;
import org.quotaledger.operations.DeadLetters.Retried;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators see the events a projection could not handle, and retry them once the cause is fixed. */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    List<Letter> list() {
        return deadLetters.list();
    }

    @PostMapping("/{processingGroup}/retry")
    Retried retry(@PathVariable String processingGroup) {
        return deadLetters.retry(processingGroup);
    }
}
